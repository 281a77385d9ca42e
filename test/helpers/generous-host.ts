/**
 * An instrument profile with the host's reply timeout made generous (≥ 15 s). Tests run the
 * SCPI emulator in the same process or next to it on a loaded 2-core machine, where it can
 * be seconds late; what these tests check is behaviour, not latency (a 2 s *IDN? timeout
 * once failed CI at load). Every test host that talks to an emulator goes through this.
 */
import type { LoadedInstrumentProfile } from "../../src/formats/instrument-profile-loader.ts";

export function generousHost(profile: LoadedInstrumentProfile): LoadedInstrumentProfile {
  const conn = profile.profile.connection;
  return { ...profile, profile: { ...profile.profile, connection: { ...conn, replyTimeoutMs: Math.max(conn.replyTimeoutMs, 15_000) } } };
}
