/**
 * A page looked at in a real browser: Debian's `chromium`, headless, renders a copy of
 * an HTML file with a small probe injected first in its <head>. The probe collects
 * what a user's console would show (uncaught errors, failed resources, console.error /
 * console.warn, unhandled rejections) and, once the page has loaded, whether each
 * given selector is laid out visibly (a box with area, not display:none / hidden), its
 * text and its box; `--dump-dom` hands the result back in the DOM. Chromium's own log
 * (`--enable-logging=stderr`) is scanned for "Uncaught" too, in case the probe itself
 * never ran.
 *
 *   const p = await probePage("out/report.html", ["#run-metadata"]);
 *   p.errors            // []
 *   p.sections["#run-metadata"]   // { found: true, visible: true, text: "tool…", box: { x, y, width, height } }
 *
 * No browser is downloaded: the executable is $SNN_ATPG_CHROMIUM or the first of
 * chromium, chromium-browser, google-chrome on PATH (`.ci/run` installs Debian's).
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SectionProbe {
  found: boolean;
  visible: boolean;
  text: string;
  box: Box | null;
}

export interface PageProbe {
  /** Everything the page's console would show as an error or warning. */
  errors: string[];
  sections: Record<string, SectionProbe>;
  /** Boxes of every element matching a selector of `boxesOf` (e.g. the parts of an SVG). */
  boxes: Record<string, Box[]>;
}

/** The Chromium executable, or null when none is installed. */
export function chromiumPath(): string | null {
  if (process.env.SNN_ATPG_CHROMIUM) return process.env.SNN_ATPG_CHROMIUM;
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    const r = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
    if (r.status === 0 && r.stdout.trim()) return r.stdout.trim();
  }
  return null;
}

const probeScript = (selectors: string[], boxesOf: string[]) => `<script>(function(){
var errs=[];
window.addEventListener("error",function(e){errs.push("error: "+(e.message||((e.target&&(e.target.src||e.target.href))+" failed to load")));},true);
window.addEventListener("unhandledrejection",function(e){errs.push("unhandled rejection: "+e.reason);});
["error","warn"].forEach(function(k){var o=console[k];console[k]=function(){errs.push("console."+k+": "+Array.prototype.join.call(arguments," "));o.apply(console,arguments);};});
function box(el){var r=el.getBoundingClientRect();return {x:r.x,y:r.y,width:r.width,height:r.height};}
window.addEventListener("load",function(){
var out={},boxes={};
${JSON.stringify(selectors)}.forEach(function(s){var el=document.querySelector(s);if(!el){out[s]={found:false,visible:false,text:"",box:null};return;}
var b=box(el),cs=getComputedStyle(el);out[s]={found:true,visible:b.width>0&&b.height>0&&cs.display!=="none"&&cs.visibility!=="hidden"&&Number(cs.opacity)>0,text:(el.textContent||"").replace(/\\s+/g," ").slice(0,4000),box:b};});
${JSON.stringify(boxesOf)}.forEach(function(s){boxes[s]=Array.prototype.map.call(document.querySelectorAll(s),box);});
var pre=document.createElement("pre");pre.id="__probe";pre.textContent=JSON.stringify({errors:errs,sections:out,boxes:boxes});document.body.appendChild(pre);});
})();</script>`;

const unescapeText = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&nbsp;/g, "\u00a0").replace(/&amp;/g, "&");

/** Render `htmlFile` in headless Chromium and probe it (see header). Throws when Chromium fails or the probe is missing. */
export async function probePage(htmlFile: string, selectors: string[], boxesOf: string[] = [], o: { chromium?: string; timeoutMs?: number } = {}): Promise<PageProbe> {
  const exe = o.chromium ?? chromiumPath();
  if (!exe) throw new Error("no Chromium found: install it (Debian: apt-get install -y chromium) or set SNN_ATPG_CHROMIUM");
  const dir = mkdtempSync(join(tmpdir(), "snn-chromium-"));
  try {
    const html = readFileSync(htmlFile, "utf8");
    const at = html.indexOf("<head>");
    if (at < 0) throw new Error(`${htmlFile}: no <head> to put the probe in`);
    const copy = join(dir, basename(htmlFile));
    writeFileSync(copy, html.slice(0, at + 6) + probeScript(selectors, boxesOf) + html.slice(at + 6));
    // the flags Chromium needs on a machine with no network and no display (as root: --no-sandbox)
    const args = [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", `--user-data-dir=${join(dir, "profile")}`, "--enable-logging=stderr", "--v=0",
      "--dump-dom", pathToFileURL(copy).href,
    ];
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
      execFile(exe, args, { encoding: "utf8", timeout: o.timeoutMs ?? 60_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${exe} failed (${err.message}):\n${stderr.slice(-2000)}`)) : resolve({ stdout, stderr }),
      ),
    );
    const m = /<pre id="__probe">([\s\S]*?)<\/pre>/.exec(stdout);
    if (!m) throw new Error(`the probe did not report (no load event?); chromium said:\n${stderr.slice(-2000)}`);
    const probe = JSON.parse(unescapeText(m[1]!)) as PageProbe;
    // an error the page threw before the probe could listen still reaches Chromium's log
    for (const line of stderr.split("\n")) if (/:CONSOLE[^\]]*\].*Uncaught/.test(line) && !probe.errors.some((e) => line.includes(e.replace(/^error: /, "")))) probe.errors.push(line.trim());
    return probe;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
