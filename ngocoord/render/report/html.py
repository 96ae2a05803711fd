"""The report as one self-contained HTML file: inline CSS, inline SVG, a little inline JS, no network.

Every value from the data goes through `esc` (text and attributes); links only to http(s) URLs.
A Content-Security-Policy forbids the page from loading anything.
"""

from __future__ import annotations

import html

from ngocoord.render.report.data import MAX_ROWS, Report, Tile, beyond
from ngocoord.render.report.matrix import MATRIX_CSS, MATRIX_JS

TILE, GAP = 64, 6
SHADES = ("#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b")   # 1 org … most orgs
NONE_SHADE = "#fbe3e1"                                              # no active organization


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def link(url: str | None, text: str) -> str:
    if url and url.lower().startswith(("http://", "https://")):
        return f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(text)}</a>'
    return esc(text)


def shade(count: int, top: int) -> str:
    if count <= 0:
        return NONE_SHADE
    if top <= 1:
        return SHADES[2]
    return SHADES[min(len(SHADES) - 1, (count - 1) * len(SHADES) // top)]


def short_name(name: str) -> str:
    for prefix in ("Al-", "Al ", "As-", "As "):
        if name.startswith(prefix) and len(name) > len(prefix) + 2:
            name = name[len(prefix):]
    return name if len(name) <= 9 else name[:8] + "…"


def tile_map(tiles: list[Tile]) -> str:
    if not tiles:
        return "<p>No governorates in this region.</p>"
    top = max(t.organizations for t in tiles)
    rows = max(t.row for t in tiles) + 1
    cols = max(t.col for t in tiles) + 1
    width, height = cols * (TILE + GAP) - GAP, rows * (TILE + GAP) - GAP
    parts = [f'<svg class="tiles" viewBox="0 0 {width} {height}" role="group" '
             f'aria-label="Governorates shaded by the number of active organizations" '
             f'style="max-width:{min(width * 1.1, 520):.0f}px">']
    for t in tiles:
        x, y = t.col * (TILE + GAP), t.row * (TILE + GAP)
        fill = shade(t.organizations, top)
        dark = fill in SHADES[2:]
        sectors = ", ".join(t.sectors) or "none"
        parts.append(
            f'<g class="tile" tabindex="0" data-name="{esc(t.name)}" data-orgs="{t.organizations}" '
            f'data-sectors="{esc(sectors)}">'
            f'<title>{esc(t.name)}: {t.organizations} active organization{"s" if t.organizations != 1 else ""}; '
            f'sectors: {esc(sectors)}</title>'
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="6" fill="{fill}"/>'
            f'<text x="{x + TILE / 2}" y="{y + 26}" class="tn{" dark" if dark else ""}'
            f'{" long" if len(short_name(t.name)) > 8 else ""}">{esc(short_name(t.name))}</text>'
            f'<text x="{x + TILE / 2}" y="{y + 48}" class="tc{" dark" if dark else ""}">{t.organizations}</text></g>')
    parts.append("</svg>")
    return "".join(parts)


def legend(tiles: list[Tile]) -> str:
    top = max((t.organizations for t in tiles), default=0)
    items = [f'<span><i style="background:{NONE_SHADE}"></i>none</span>']
    seen = []
    for n in range(1, top + 1):
        s = shade(n, top)
        if s not in seen:
            seen.append(s)
            upto = max(m for m in range(1, top + 1) if shade(m, top) == s)
            label = str(n) if upto == n else f"{n}–{upto}"
            items.append(f'<span><i style="background:{s}"></i>{label}</span>')
    return '<div class="legend">' + "".join(items) + "</div>"


def sector_bars(report: Report) -> str:
    if not report.activities_by_sector:
        return "<p>No activities.</p>"
    top = max(n for _s, n, _a in report.activities_by_sector)
    rows = []
    for name, total, active in report.activities_by_sector:
        rows.append(f'<div class="bar"><span class="bl">{esc(name)}</span><span class="bt">'
                    f'<span class="ball" style="width:{100 * total / top:.1f}%"></span>'
                    f'<span class="bact" style="width:{100 * active / top:.1f}%"></span></span>'
                    f'<span class="bn">{active} / {total}</span></div>')
    return ('<div class="bars">' + "".join(rows) + '</div><div class="legend"><span><i class="iact"></i>active</span>'
            '<span><i class="iall"></i>all activities</span></div>')


def table(columns: list[str], rows: list[list[str]], *, numeric: set[int] = frozenset(), cls: str = "") -> str:
    """A sortable table; cells are already-escaped HTML."""
    if not rows:
        return "<p>None.</p>"
    head = "".join(f'<th scope="col"{" class=num" if i in numeric else ""}>{esc(c)}</th>' for i, c in enumerate(columns))
    body = "".join("<tr>" + "".join(f'<td{" class=num" if i in numeric else ""}>{c}</td>' for i, c in enumerate(r))
                   + "</tr>" for r in rows)
    return (f'<div class="scroll"><table class="sortable {cls}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


def coverage_table(report: Report) -> str:
    cov = report.coverage
    gaps, thin, stale = set(cov.gaps), set(cov.thin), set(cov.stale)
    head = f'<th scope="col">{report.unit.capitalize()}</th>' + "".join(
        f'<th scope="col" class="num">{esc(cov.column_names[c])}</th>' for c in cov.columns)
    body = []
    for r in cov.rows:
        cells = []
        for c in cov.columns:
            n = r.counts[c]
            kind = "gap" if (r.area, c) in gaps else "thin" if (r.area, c) in thin else ""
            title = f"{r.name}, {cov.column_names[c]}: {n} organization{'s' if n != 1 else ''}"
            mark = ""
            if (r.area, c) in stale:
                kind += " stale"
                title += ", all counted records last reviewed more than a year ago"
                mark = '<abbr class="sm" title="stale">?</abbr>'
            cells.append(f'<td class="num {kind.strip()}" title="{esc(title)}">{n}{mark}</td>')
        body.append(f'<tr><th scope="row">{esc(r.name)}</th>{"".join(cells)}</tr>')
    what = "sectors" if cov.sector is None else "services"
    # the box scrolls both ways with its header row and first column fixed; the bar above it says which
    # columns are out of sight and scrolls to them (hidden until the script finds some off-screen)
    return (f'<div class="matrixnav" hidden><button type="button" class="prev" aria-label="Show the {what} to the left">'
            f'&#9664;</button><span class="offscreen" aria-live="polite"></span><button type="button" class="next" '
            f'aria-label="Show the {what} to the right">&#9654;</button></div>'
            f'<div class="scroll matrixbox" tabindex="0" role="region" aria-label="Coverage by {report.unit} and '
            f'{what.rstrip("s")}" data-what="{what}"><table class="sortable matrix"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def note(text: str) -> str:
    return f'<p class="note">{esc(text)}</p>' if text else ""


def plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _list(values) -> str:
    return esc(", ".join(values))


def cards(report: Report) -> str:
    t, day = report.totals, report.as_of.isoformat()
    return "".join(f'<div class="card"><b>{n}</b><span>{esc(label)}</span></div>' for n, label in (
        (t["organizations"], "organizations"), (t["activities"], "activities"), (t["active"], f"active on {day}"),
        (t["gaps"], "coverage gaps"), (t["duplicates"], "duplicated services"), (t["stale"], "stale records"),
        *([(t["counted_stale"], f"of {t['counted']} counted in the coverage are stale")] if t["counted"] else []),
        *([(t["wider"], "country-wide" if t["wider"] == t["countrywide"] else "recorded for a wider area")]
          if t["wider"] else [])))


def overview(report: Report) -> str:
    return ('<div class="cols"><div><h3>Organizations by type</h3>'
            + table(["Type", "Organizations"], [[esc(a), str(b)] for a, b in report.organizations_by_type], numeric={1})
            + '</div><div><h3>Activities by status</h3>'
            + table(["Status", "Activities"], [[esc(a), str(b)] for a, b in report.activities_by_status], numeric={1})
            + "</div></div>")


def wider(report: Report) -> str:
    if not report.wider:
        return ""
    return (f'<p class="note">Recorded for an area holding {esc(report.region_name)} (such as the whole country), '
            f'counted in no area above: '
            + esc("; ".join(f"{title} ({org})" for _i, title, org, _p in report.wider[:MAX_ROWS])) + "</p>")


def unlocated(report: Report) -> str:
    return (f'<p class="note">Active activities located only above {report.unit} level (covering no cell): '
            f'{esc("; ".join(report.unlocated))}.</p>' if report.unlocated else "")


def duplicates(report: Report) -> str:
    return _pairs(report) + not_compared(report)


def not_compared(report: Report) -> str:
    """How many active sector-level activities no pair can hold (SPEC, *Sector-level activities*)."""
    n = report.not_compared
    if not n:
        return ""
    return (f'<p class="note">{n} active sector-level activit{"y" if n == 1 else "ies"} (no service given) could '
            'not be compared: pairs form only through a shared service.</p>')


def _pairs(report: Report) -> str:
    if not report.duplicates:
        return "<p>No two active activities deliver the same service to the same people in the same place.</p>"
    day = report.as_of.isoformat()
    return (table(["Activities", "Organizations", "Kind", "Services", "Populations", "Areas", "Period"],
                  [["<br>".join(esc(x) for x in d.titles), "<br>".join(esc(x) for x in d.organizations), esc(d.kind),
                    _list(d.services), _list(d.populations), _list(d.areas), esc(d.period)]
                   for d in report.duplicates[:MAX_ROWS]], cls="wide")
            + note(beyond(report.duplicates, "pairs", f"ngocoord duplicates --region {report.region} --as-of {day} "
                                                      "--format csv", total=report.totals["duplicates"])))


def stale(report: Report) -> str:
    if not report.stale:
        return "<p>None.</p>"
    return (table(["Kind", "Record", "Last reviewed", "Days ago"],
                  [[esc(s.kind), f"{esc(s.name)}<br><code>{esc(s.id)}</code>", esc(s.last_reviewed.isoformat()),
                    str(s.days)] for s in report.stale[:MAX_ROWS]], numeric={3}, cls="stale")
            + note(beyond(report.stale, "stale records", f"ngocoord lint --as-of {report.as_of.isoformat()}")))


def areas(report: Report) -> str:
    out = []
    for sec in report.areas:
        if not sec.activities:
            continue
        active = sum(1 for a in sec.activities if a.active)
        rows = [[link(a.source_url, a.title), esc(a.organization), esc(a.sector), _list(a.services),
                 "<br>".join(esc(p) for p in a.places), esc(a.status) + (' <span class="on">active</span>' if a.active else ""),
                 esc(a.period)] for a in sec.activities[:MAX_ROWS]]
        out.append(f'<details><summary>{esc(sec.name)} <small>{plural(len(sec.activities), "activity", "activities")}, '
                   f'{active} active</small></summary>'
                   + table(["Activity", "Organization", "Sector", "Services", "Where", "Status", "Period"], rows,
                           cls="wide")
                   + note(beyond(sec.activities, "activities", f"ngocoord activities --area {sec.area} --format csv"))
                   + "</details>")
    empty = [s.name for s in report.areas if not s.activities]
    if empty:
        out.append(f'<p class="note">No activity recorded in: {esc(", ".join(empty))}.</p>')
    return "".join(out)


def gap_chart(report: Report) -> str:
    """Gap cells at the end of each period of the dataset's git history; nothing without one."""
    from ngocoord.render.history import gaps_chart

    if not report.gap_history:
        return ""
    return f'<h3>Gap cells over time</h3><figure class="history">{gaps_chart(report.gap_history)}</figure>'


def render(report: Report) -> str:
    day = report.as_of.isoformat()
    warning = ('<p class="warn" role="alert">This report shows the exact places of sensitive activities. '
               'Do not publish it.</p>' if report.include_sensitive else "")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{esc(report.title)} ({day})</title>
<style>{CSS}{MATRIX_CSS}</style>
</head>
<body>
<header><h1>{esc(report.title)}</h1>
<p class="sub">As of {day} · {esc(report.region_name)} ({esc(report.region)}) · generated by ngocoord</p></header>
<main>
{warning}
<section class="cards">{cards(report)}</section>
<section><h2>Where organizations are active</h2>
<p class="note">Each tile is a {report.unit}, placed roughly as on a map, shaded by the number of organizations delivering
activities active on {day} with a place inside it. Hover over, tap or select a tile to see the sectors present.</p>
<div class="mapbox"><div>{tile_map(report.tiles)}{legend(report.tiles)}</div>
<p id="tile-info" class="info" aria-live="polite">Select a {report.unit} to see the sectors present.</p></div>
</section>
<section><h2>Activities by sector</h2>{sector_bars(report)}</section>
<section><h2>Overview</h2>{overview(report)}</section>
<section id="coverage"><h2>Coverage</h2>
<p>Delivering organizations (lead and partners) of activities active on {day}, per {report.unit} and sector.
<span class="key gap">gap</span> fewer than {report.coverage.min_orgs};
<span class="key thin">thin</span> exactly {report.coverage.min_orgs};
<span class="key stale">1?</span> stale: every record counted was last reviewed more than a year before {day}.</p>
{coverage_table(report)}{unlocated(report)}{wider(report)}{gap_chart(report)}</section>
<section><h2>Duplicated services</h2>{duplicates(report)}</section>
<section><h2>Stale records</h2><p>Last reviewed more than a year before {day}.</p>{stale(report)}</section>
<section><h2>Activities by {report.unit}</h2>{areas(report)}</section>
</main>
<footer class="jsonly">Click a column heading to sort a table.</footer>
<script>{JS}{MATRIX_JS}</script>
</body>
</html>
"""


CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933;background:#f7f8fa}
header{background:#1d3557;color:#fff;padding:18px 20px 14px}
header h1{margin:0;font-size:1.45rem;line-height:1.25}
.sub{margin:4px 0 0;opacity:.85;font-size:.9rem}
main{max-width:1240px;margin:0 auto;padding:12px 16px 32px}
section{background:#fff;border:1px solid #e1e5ea;border-radius:8px;padding:14px 16px;margin:14px 0}
h2{font-size:1.15rem;margin:0 0 10px}
h3{font-size:1rem;margin:6px 0 8px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;background:none;border:0;padding:0}
.card{background:#fff;border:1px solid #e1e5ea;border-radius:8px;padding:10px 12px}
.card b{display:block;font-size:1.6rem;line-height:1.1}
.card span{color:#52606d;font-size:.85rem}
.warn{background:#fff3cd;border:1px solid #e0b100;padding:10px 12px;border-radius:6px;font-weight:600}
.mapbox{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
.mapbox>div{flex:1 1 300px;max-width:540px}
.tiles{width:100%;height:auto;display:block}
.tile{cursor:pointer;outline:none}
.tile rect{stroke:#fff;stroke-width:2}
.tile:hover rect,.tile:focus rect,.tile.sel rect{stroke:#e76f51;stroke-width:3}
.tn,.tc{text-anchor:middle;fill:#1f2933;pointer-events:none}
.tn{font-size:10.5px}
.tn.long{font-size:9px}
.tc{font-size:17px;font-weight:700}
.dark{fill:#fff}
.info{flex:1 1 220px;margin:0;padding:10px 12px;background:#f1f5f9;border-radius:6px;min-height:3em}
.legend{display:flex;flex-wrap:wrap;gap:10px;font-size:.8rem;color:#52606d;margin:8px 0 0}
.legend i{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.bars{display:grid;gap:6px}
.bar{display:grid;grid-template-columns:minmax(90px,260px) 1fr 64px;gap:8px;align-items:center;font-size:.9rem}
.bl{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.bt{position:relative;height:16px;background:#f1f5f9;border-radius:3px}
.ball,.bact{position:absolute;left:0;top:0;bottom:0;border-radius:3px}
.ball,.iall{background:#b9d3ea}
.bact,.iact{background:#1d6fb8}
.bn{text-align:right;font-variant-numeric:tabular-nums;color:#52606d}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:16px}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}
table{border-collapse:collapse;width:100%;font-size:.88rem}
th,td{padding:5px 8px;border-bottom:1px solid #e6e9ee;text-align:left;vertical-align:top}
thead th{background:#f1f5f9;cursor:pointer;user-select:none;white-space:nowrap;position:sticky;top:0}
thead th[aria-sort=ascending]::after{content:" \\25B2";font-size:.7em}
thead th[aria-sort=descending]::after{content:" \\25BC";font-size:.7em}
.num{text-align:right;font-variant-numeric:tabular-nums}
.matrix th[scope=row]{white-space:nowrap;position:sticky;left:0;background:#fff;z-index:1;box-shadow:1px 0 0 #e6e9ee}
.matrix td{text-align:center;min-width:40px}
td.gap,.key.gap{background:#f8d0cc;color:#8a1c12;font-weight:700}
td.thin,.key.thin{background:#fdf0b5;color:#6b5000}
td.stale,.key.stale{font-style:italic;text-decoration:underline dotted}
.sm{text-decoration:none;font-weight:700}
.key{padding:0 5px;border-radius:3px}
details{border-top:1px solid #e6e9ee;padding:6px 0}
summary{cursor:pointer;font-weight:600;padding:4px 0}
summary small{font-weight:400;color:#52606d;margin-left:6px}
.on{display:inline-block;font-size:.75em;background:#d8f0dc;color:#1b5e20;border-radius:3px;padding:0 4px}
.note{color:#52606d;font-size:.88rem}
code{font-size:.8em;color:#52606d;overflow-wrap:break-word}
a{color:#1d5fa8}
footer{text-align:center;color:#7b8794;font-size:.8rem;padding:0 0 24px}
.jsonly{display:none}.js .jsonly{display:block}
.matrix th,.matrix td{padding:4px 5px}
.matrix thead th{white-space:normal;min-width:52px;font-size:.78rem;vertical-align:bottom;text-align:center}
.matrix thead th:first-child{text-align:left}
@media (max-width:520px){header h1{font-size:1.2rem}section{padding:12px 10px}main{padding:8px 8px 24px}
.bar{grid-template-columns:1fr 52px;gap:2px 8px}.bl{grid-column:1/3;white-space:normal}
table.wide td{min-width:110px}table.wide td:first-child{min-width:170px}table.stale td:nth-child(2){min-width:190px}}
"""

JS = """
(function(){
  document.documentElement.classList.add('js');
  var info=document.getElementById('tile-info');
  function show(g){
    document.querySelectorAll('.tile.sel').forEach(function(t){t.classList.remove('sel');});
    g.classList.add('sel');
    var n=g.getAttribute('data-orgs');
    info.textContent=g.getAttribute('data-name')+': '+n+' active organization'+(n==='1'?'':'s')+'. Sectors: '+g.getAttribute('data-sectors')+'.';
  }
  document.querySelectorAll('.tile').forEach(function(g){
    g.addEventListener('click',function(){show(g);});
    g.addEventListener('mouseenter',function(){show(g);});
    g.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();show(g);}});
  });
  function key(cell){var t=cell.textContent.trim();var n=parseFloat(t.replace(/,/g,''));
    return (/^-?[0-9][0-9,.]*$/.test(t)&&!isNaN(n))?[0,n]:[1,t.toLowerCase()];}
  document.querySelectorAll('table.sortable').forEach(function(table){
    table.querySelectorAll('thead th').forEach(function(th,i){
      th.addEventListener('click',function(){
        var asc=th.getAttribute('aria-sort')!=='ascending';
        table.querySelectorAll('thead th').forEach(function(h){h.removeAttribute('aria-sort');});
        th.setAttribute('aria-sort',asc?'ascending':'descending');
        var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
        rows.sort(function(a,b){var x=key(a.cells[i]),y=key(b.cells[i]);
          var r=x[0]-y[0]||(x[1]<y[1]?-1:x[1]>y[1]?1:0);return asc?r:-r;});
        rows.forEach(function(r){body.appendChild(r);});
      });
    });
  });
})();
"""
