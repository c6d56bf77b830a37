/// The HTML report's template and its one script. Kept as Swift strings so the binary is the
/// whole tool (no resource files to find at run time). Every `{{value}}` is HTML-escaped by
/// swift-mustache. The one triple-mustache inserts `script`, this file's own constant, which
/// HTML escaping would break.
enum HTMLTemplate {
    /// Filters by outcome and pack, and opens every evidence block before printing. Without
    /// it the page still shows everything (the filter bar stays hidden).
    static let script = """
        document.documentElement.classList.add("js");
        const boxes = Array.from(document.querySelectorAll("#filters input[type=checkbox]"));
        function apply() {
          const on = new Set(boxes.filter(b => b.checked).map(b => b.dataset.kind + ":" + b.value));
          for (const f of document.querySelectorAll("article.finding")) {
            f.hidden = !(on.has("outcome:" + f.dataset.outcome) && on.has("pack:" + f.dataset.pack));
          }
          for (const s of document.querySelectorAll("section.pack")) {
            s.hidden = !s.querySelector("article.finding:not([hidden])");
          }
          document.getElementById("shown").textContent = document.querySelectorAll("article.finding:not([hidden])").length;
        }
        boxes.forEach(b => b.addEventListener("change", apply));
        window.addEventListener("beforeprint", () => document.querySelectorAll("details").forEach(d => d.open = true));
        apply();
        """

    /// SHA-256 of `script`, base64: the report's CSP lets this script run and no other. A test
    /// recomputes it; change the script and the test says the new value.
    static let scriptHash = "sha256-ERWOLxAqet7egWBN0j6EJFyxlnH8if61eYxq1gNzyjc="

    static let page = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src '{{scriptHash}}'">
        <title>Preflight: {{verdict}} — {{target}}</title>
        <style>
        :root { --fail: #b42318; --warn: #b54708; --error: #6941c6; --pass: #067647; --skip: #667085; --line: #eaecf0; --ink: #101828; --soft: #475467; }
        * { box-sizing: border-box; }
        body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); margin: 0; background: #f9fafb; }
        main { max-width: 1100px; margin: 0 auto; padding: 24px; }
        header.verdict { border-radius: 10px; padding: 18px 22px; color: #fff; margin-bottom: 18px; }
        header.verdict h1 { margin: 0 0 4px; font-size: 24px; }
        header.verdict p { margin: 0; opacity: .92; }
        .verdict-ready { background: var(--pass); } .verdict-not_ready { background: var(--fail); } .verdict-undecided { background: var(--error); }
        .meta { color: var(--soft); font-size: 13px; margin: 0 0 16px; }
        .counts { display: grid; grid-template-columns: repeat(6, 1fr); gap: 10px; margin: 0 0 18px; }
        .count { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
        .count b { display: block; font-size: 22px; }
        .count.fail b { color: var(--fail); } .count.warn b { color: var(--warn); } .count.error b { color: var(--error); } .count.pass b { color: var(--pass); } .count.skipped b, .count.waived b { color: var(--skip); }
        .box { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin: 0 0 18px; }
        .box h2 { font-size: 16px; margin: 0 0 8px; }
        .box ul { margin: 0; padding-left: 20px; }
        #filters { display: none; } .js #filters { display: block; }
        #filters fieldset { border: 0; padding: 0; margin: 0 0 6px; display: inline-block; margin-right: 18px; }
        #filters legend { font-weight: 600; font-size: 13px; color: var(--soft); }
        #filters label { margin-right: 10px; font-size: 14px; white-space: nowrap; }
        section.pack h2 { font-size: 18px; margin: 22px 0 8px; text-transform: uppercase; letter-spacing: .04em; color: var(--soft); }
        article.finding { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--skip); border-radius: 8px; padding: 10px 14px; margin: 0 0 10px; break-inside: avoid; }
        article.finding.outcome-fail { border-left-color: var(--fail); } article.finding.outcome-warn { border-left-color: var(--warn); }
        article.finding.outcome-error { border-left-color: var(--error); } article.finding.outcome-pass { border-left-color: var(--pass); }
        .badge { display: inline-block; font-size: 12px; font-weight: 700; padding: 1px 8px; border-radius: 999px; color: #fff; background: var(--skip); margin-right: 6px; }
        .badge.fail { background: var(--fail); } .badge.warn { background: var(--warn); } .badge.error { background: var(--error); } .badge.pass { background: var(--pass); }
        .sev { font-size: 12px; color: var(--soft); margin-right: 6px; }
        code { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; background: #f2f4f7; padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
        .message { margin: 6px 0 2px; overflow-wrap: anywhere; }
        .target, .hint, .note { margin: 2px 0; font-size: 14px; color: var(--soft); overflow-wrap: anywhere; }
        details { margin: 6px 0 0; } summary { cursor: pointer; font-size: 14px; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0 0; font-size: 13px; }
        dt { color: var(--soft); } dd { margin: 0; overflow-wrap: anywhere; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
        #apps table { border-collapse: collapse; width: 100%; font-size: 14px; }
        #apps th, #apps td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); }
        b.app { margin-right: 6px; }
        footer { color: var(--soft); font-size: 12px; margin-top: 24px; }
        @media print {
          body { background: #fff; } main { padding: 0; } #filters { display: none !important; }
          article.finding[hidden], section.pack[hidden] { display: block !important; }
          header.verdict { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        @media (max-width: 760px) { .counts { grid-template-columns: repeat(3, 1fr); } }
        </style>
        </head>
        <body>
        <main>
        <header class="verdict verdict-{{verdictKey}}">
        <h1 id="verdict">{{verdict}}</h1>
        <p>{{summaryLine}}</p>
        </header>
        <p class="meta">Preflight {{toolVersion}} · {{target}} · config {{config}} · fail on {{failOn}}{{#offline}} · offline{{/offline}}{{#baselinePath}} · baseline {{baselinePath}}{{/baselinePath}} · {{startedAt}}</p>

        <div class="counts">
        {{#counts}}<div class="count {{key}}" data-outcome="{{key}}"><b>{{value}}</b>{{label}}</div>
        {{/counts}}
        </div>

        {{#isFleet}}
        <div class="box" id="apps">
        <h2>Apps ({{appCount}}), worst first</h2>
        <table>
        <thead><tr><th>verdict</th><th>app</th><th>failed</th><th>warned</th><th>could not decide</th><th>passed</th><th>exit</th></tr></thead>
        <tbody>
        {{#apps}}<tr class="app-{{verdictKey}}"><td><span class="badge {{badge}}">{{verdict}}</span></td><td><code>{{name}}</code></td><td>{{fail}}</td><td>{{warn}}</td><td>{{error}}</td><td>{{pass}}</td><td>{{exitCode}}</td></tr>
        {{/apps}}
        </tbody>
        </table>
        </div>
        {{/isFleet}}

        {{#hasGating}}
        <div class="box" id="why">
        <h2>Why: {{gatingCount}} finding(s) at or above {{failOn}} fail the gate</h2>
        <ul>
        {{#gating}}<li>{{#app}}<b>{{app}}</b> {{/app}}<a href="#{{anchor}}"><code>{{checkID}}</code></a> {{message}} — {{target}}</li>
        {{/gating}}
        </ul>
        </div>
        {{/hasGating}}
        {{^hasGating}}
        <div class="box" id="why"><h2>Why: nothing at or above {{failOn}} fails the gate{{#undecided}}, but a gating check could not decide{{/undecided}}</h2></div>
        {{/hasGating}}

        {{#hasConfirm}}
        <div class="box" id="confirm">
        <h2>Confirm by hand ({{confirmCount}})</h2>
        <p>No source Preflight can read states these: check each where it says, then accept it with a waiver.</p>
        <ul>
        {{#confirm}}<li>{{#app}}<b>{{app}}</b> {{/app}}<a href="#{{anchor}}"><code>{{checkID}}</code></a> {{message}}{{#accepted}} (accepted){{/accepted}}: {{action}}</li>
        {{/confirm}}
        </ul>
        </div>
        {{/hasConfirm}}

        {{#hasNotes}}
        <div class="box" id="notes">
        <h2>To act on</h2>
        <ul>
        {{#notes}}<li>{{.}}</li>
        {{/notes}}
        </ul>
        </div>
        {{/hasNotes}}

        <form class="box" id="filters" onsubmit="return false">
        <fieldset><legend>Outcome</legend>
        {{#outcomes}}<label><input type="checkbox" data-kind="outcome" value="{{key}}" checked> {{label}} ({{value}})</label>
        {{/outcomes}}
        </fieldset>
        <fieldset><legend>Pack</legend>
        {{#packNames}}<label><input type="checkbox" data-kind="pack" value="{{name}}" checked> {{name}}</label>
        {{/packNames}}
        </fieldset>
        <p class="note">Showing <span id="shown">{{findingCount}}</span> of {{findingCount}} findings.</p>
        </form>

        {{#packs}}
        <section class="pack" data-pack="{{name}}">
        <h2>{{name}} ({{count}})</h2>
        {{#findings}}
        <article class="finding outcome-{{outcome}}" id="{{anchor}}" data-outcome="{{outcome}}" data-pack="{{pack}}">
        <div><span class="badge {{outcome}}">{{outcomeLabel}}</span><span class="sev">{{severity}}</span>{{#app}}<b class="app">{{app}}</b> {{/app}}<code>{{checkID}}</code> {{title}}</div>
        <p class="message">{{message}}</p>
        {{#target}}<p class="target">at <code>{{target}}</code></p>{{/target}}
        {{#waiver}}<p class="note">waived: {{waiver}}</p>{{/waiver}}
        {{#baseline}}<p class="note">{{baseline}}</p>{{/baseline}}
        {{#hasEvidence}}<details><summary>Evidence ({{evidenceCount}})</summary><dl>
        {{#evidence}}<dt>{{label}}</dt><dd>{{value}}</dd>
        {{/evidence}}
        </dl></details>{{/hasEvidence}}
        {{#showHint}}<p class="hint">Fix: {{hint}}{{#docs}} · <a href="{{docs}}" rel="noreferrer">docs</a>{{/docs}}</p>{{/showHint}}
        </article>
        {{/findings}}
        </section>
        {{/packs}}

        <footer>Generated by Preflight {{toolVersion}}. Self-contained: nothing on this page is fetched from the network.</footer>
        </main>
        <script>{{{script}}}</script>
        </body>
        </html>

        """
}
