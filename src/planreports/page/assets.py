"""The page's inline style sheet and its small progressive-enhancement script.

Both are constants (plus swatch rules generated from the palettes), so the page stays one self-contained file
that can be attached to an e-mail, opened from a shared folder or printed, with nothing fetched from anywhere.
"""

from __future__ import annotations

from collections.abc import Sequence

from planreports.page.svg import HATCH_INK, Swatch

CSS = """\
@page { size: A4; margin: 12mm }
:root { --ink: #1a1a1a; --muted: #555555; --rule: #bfc5cc; --head: #eef1f5; --accent: #1d3a5c; }
* { box-sizing: border-box }
[hidden] { display: none !important }
html { font-family: Arial, "Liberation Sans", "Noto Sans", "DejaVu Sans", sans-serif; font-size: 15px;
  line-height: 1.45; color: var(--ink); background: #ffffff }
body { margin: 0 auto; max-width: 1240px; padding: 12px 20px 32px }
a { color: #0b4f8a }
header { border-top: 5px solid var(--accent); border-bottom: 1px solid var(--rule); padding: 10px 0 12px }
h1 { font-size: 1.6rem; line-height: 1.3; margin: 4px 0 12px; color: var(--accent) }
h2 { font-size: 1.25rem; margin: 30px 0 10px; padding-bottom: 4px; color: var(--accent);
  border-bottom: 2px solid var(--accent); break-after: avoid }
.meta { display: flex; flex-wrap: wrap; gap: 8px 36px; margin: 0 }
.meta dt { font-size: 0.85rem; color: var(--muted) }
.meta dd { margin: 0; font-weight: bold }
.due-over { color: #a33a00 }
.due-today { color: #8a4b00 }
nav { margin: 10px 0 0; font-size: 0.95rem }
nav ol { display: flex; flex-wrap: wrap; gap: 4px 22px; margin: 0; padding: 0; list-style: none }
.lead { margin: 6px 0 10px }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; margin: 8px 0 14px }
.card { border: 1px solid var(--rule); padding: 8px 12px; break-inside: avoid }
.card p { margin: 0 }
.card .num { font-size: 1.9rem; font-weight: bold; line-height: 1.2 }
.card .share { color: var(--muted); font-size: 0.9rem }
.charts { display: flex; flex-wrap: wrap; gap: 16px 40px; align-items: center; margin: 6px 0 8px;
  break-inside: avoid }
.charts figure { flex: 0 1 auto; min-width: 0 }
.chart { display: block; max-width: 100%; height: auto; font-family: inherit }
figure { margin: 0 }
table { border-collapse: collapse; width: 100%; margin: 8px 0 18px; font-size: 0.93rem }
caption { caption-side: top; text-align: left; font-weight: bold; padding: 4px 0 6px }
th, td { border: 1px solid var(--rule); padding: 5px 7px; vertical-align: top; text-align: left }
thead th { background: var(--head); vertical-align: bottom }
thead { display: table-header-group }
tr { break-inside: avoid }
tbody th { font-weight: normal }
.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap }
tr.total th, tr.total td { font-weight: bold; border-top: 2px solid var(--ink) }
.units tbody tr:nth-child(even) { background: #f7f8fa }
.units thead th { position: sticky; top: 0; z-index: 1 }
.units td.code { white-space: nowrap; font-variant-numeric: tabular-nums }
.units td.when, .units td.bloc, .units td.mail { white-space: nowrap }
thead th.n { white-space: normal; min-width: 5.5em }
.units tbody th.name { min-width: 16em; font-weight: normal }
.units th.verdict { min-width: 6.5em }
.units thead th.when, .units thead th.mail { white-space: nowrap }
.chip { white-space: nowrap }
.sw { display: inline-block; width: 0.85em; height: 0.85em; margin-right: 0.4em; vertical-align: -0.08em;
  border: 1px solid #333333; -webkit-print-color-adjust: exact; print-color-adjust: exact }
.findings { margin: 0; padding: 0; list-style: none; font-size: 0.9rem }
.findings li { margin: 0 0 3px; padding-left: 6px; border-left: 3px solid var(--rule) }
.findings li.error { border-left-color: #d55e00 }
.findings li.warning { border-left-color: #e69f00 }
.none { color: var(--muted) }
h3 { font-size: 1.05rem; margin: 18px 0 6px; color: #a33a00 }
.unidentified th.name { font-weight: normal; min-width: 12em; overflow-wrap: anywhere }
.unidentified td.when { white-space: nowrap }
.hint { font-size: 0.9rem; color: var(--muted) }
.controls { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: end; margin: 6px 0 4px }
.controls label { display: flex; flex-direction: column; font-size: 0.85rem; color: var(--muted) }
.controls p { margin: 0; font-size: 0.85rem; color: var(--muted) }
.controls select, .controls input { font: inherit; font-size: 1rem; padding: 3px 6px; min-width: 14em }
.filter-note { font-weight: normal; color: var(--muted) }
th[data-sort] { cursor: pointer }
th button.sort { font: inherit; color: var(--muted); background: none; border: 1px solid transparent;
  border-radius: 3px; padding: 0 3px; margin-left: 2px; cursor: pointer }
th button.sort:hover, th button.sort:focus-visible { border-color: var(--muted); color: var(--ink) }
th button.sort::after { content: "\\2195" }
th[aria-sort="ascending"] button.sort::after { content: "\\2191" }
th[aria-sort="descending"] button.sort::after { content: "\\2193" }
.links li { margin: 4px 0 }
.blanks-head { margin-bottom: 2px }
.blanks li { margin: 2px 0; background: #fff3b0 }
footer { margin-top: 30px; padding-top: 8px; border-top: 1px solid var(--rule); color: var(--muted);
  font-size: 0.85rem }
@media screen and (max-width: 860px) {
  .scroll { overflow-x: auto }
  .units thead th { position: static }
}
@media print {
  html { font-size: 9.5pt }
  body { max-width: none; padding: 0 }
  nav, .controls, .screen-only { display: none !important }
  a { color: inherit; text-decoration: none }
  header { border-top-width: 3px }
  h2 { margin-top: 16px }
  .units thead th { position: static }
  thead th { background: #ffffff; border-bottom: 2px solid var(--ink) }
  .units tbody tr:nth-child(even) { background: #ffffff }
  .cards { grid-template-columns: repeat(4, 1fr) }
  .units .mail, th button.sort { display: none }
  /* the list starts on its own page: page 1 stays a one-page summary for the leaders */
  #don-vi { break-before: page }
  /* fixed layout: on A4 the min-content widths of an auto table add up to more than the page */
  /* and 1px narrower, or Chromium clips the table's right border when the link column is hidden */
  .units { font-size: 8.5pt; table-layout: fixed; width: calc(100% - 1px) }
  .units th, .units td { padding: 3px 4px }
  .units td.code, .units .name, .units .issues { overflow-wrap: anywhere }
  .units td.bloc, .units td.when, .units td.code, .chip, .units thead th.when { white-space: normal }
  .units th.code { width: 9% }
  .units th.name { width: 17% }
  .units th.bloc { width: 8% }
  .units th.state { width: 11% }
  .units th.when { width: 11% }
  .units th.verdict { width: 8% }
  .units th.issues { width: 36% }
  .units tbody th.name, .units th.verdict { min-width: 0 }
  section { break-inside: auto }
}
"""


def swatch_css(prefix: str, swatches: Sequence[Swatch]) -> str:
    """`.sw-<prefix><i>` rules so the table's colour chips match the chart segments exactly."""
    rules = []
    for i, s in enumerate(swatches):
        fill = (f"repeating-linear-gradient(45deg, {s.fill} 0 3px, {HATCH_INK} 3px 4.5px)" if s.hatch
                else s.fill)
        rules.append(f".sw-{prefix}{i} {{ background: {fill} }}\n")
    return "".join(rules)


SCRIPT = """\
(function () {
  "use strict";
  var table = document.getElementById("dv-table");
  var controls = document.getElementById("dv-controls");
  if (!table || !controls || !table.tBodies.length) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var select = document.getElementById("dv-state");
  var search = document.getElementById("dv-search");
  var note = document.getElementById("dv-note");
  var collator = new Intl.Collator("vi", { numeric: true, sensitivity: "base" });
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\\u0300-\\u036f]/g, "")
      .replace(/\\u0111/g, "d").replace(/\\u0110/g, "D").toLowerCase();
  }
  function apply() {
    var state = select.value, query = fold(search.value.trim()), shown = 0;
    rows.forEach(function (row) {
      var ok = (!state || row.getAttribute("data-state") === state) &&
        (!query || fold(row.getAttribute("data-text")).indexOf(query) >= 0);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    note.textContent = (state || query) ? " (đang lọc: " + shown + "/" + rows.length + " đơn vị)" : "";
  }
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, index) {
    var kind = th.getAttribute("data-sort");
    if (!kind) { return; }
    // the heading text stays plain text: Chromium does not paint button contents in repeated print headers
    var button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.setAttribute("aria-label", "Sắp xếp theo cột " + th.textContent);
    th.appendChild(button);
    th.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var keyed = rows.map(function (row, i) {
        var cell = row.cells[index];
        return [cell.getAttribute("data-key") || cell.textContent, i, row];
      });
      keyed.sort(function (a, b) {
        var c = kind === "num" ? Number(a[0]) - Number(b[0]) : collator.compare(a[0], b[0]);
        return (ascending ? c : -c) || a[1] - b[1];
      });
      keyed.forEach(function (k) { body.appendChild(k[2]); });
    });
  });
  var wanted = /[?&]tinh-trang=([a-z_]+)/.exec(window.location.search);
  if (wanted) { select.value = wanted[1]; }
  select.addEventListener("change", apply);
  search.addEventListener("input", apply);
  controls.hidden = false;
  table.setAttribute("data-enhanced", "1");
  apply();
}());
"""
