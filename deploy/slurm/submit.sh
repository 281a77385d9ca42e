#!/bin/bash
# Submit the sharded coverage array and its dependent merge: bash deploy/slurm/submit.sh
set -euo pipefail
here=$(dirname "$0")
jid=$(sbatch --parsable "$here/coverage.sbatch")
sbatch --dependency="afterok:${jid%%;*}" "$here/merge.sbatch"
