"""The HTML report in a real browser (headless Chromium): it parses as meant, its script runs, it draws."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from conftest import activity, org, write_dataset
from ngocoord.cli import app

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = pytest.mark.requires("chromium|chromium-browser|google-chrome")


def chromium(tmp_path, *args) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
                           "--enable-logging=stderr", "--v=0", *args],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def page(tmp_path):
    root = write_dataset(tmp_path / "data", [org("org-a", name="Org A"), org("org-b", name="<b>B</b>", type="ingo")], [
        activity("act-1", title="Legal aid </td></tr></table> in Erbil", partners=["org-b"]),
        activity("act-2", organization="org-b", sector="education", services=["education-in-detention"],
                 locations=[{"area": "G2D1", "site": "Secret"}], sensitive=True),
    ])
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", "--data", str(root), "--as-of", "2026-06-01", "--format", "html",
                                      "--output", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_dom_as_the_browser_builds_it(page, tmp_path):
    result = chromium(tmp_path, "--dump-dom", page.as_uri())
    dom = result.stdout
    assert '<html lang="en" class="js">' in dom          # the inline script ran
    assert "Uncaught" not in result.stderr                # and raised nothing
    assert len(re.findall(r'<g class="tile"', dom)) == 3
    # data that looks like markup stayed text: every table still has the rows it was given
    assert "Legal aid &lt;/td&gt;&lt;/tr&gt;&lt;/table&gt; in Erbil" in dom
    assert "&lt;b&gt;B&lt;/b&gt;" in dom and "<b>B</b>" not in dom
    assert "Secret" not in dom


HEADER, PAGE = (0x1d, 0x35, 0x57), (0xf7, 0xf8, 0xfa)     # the report's CSS: header and page background
GAP_CELL, NO_ORG_TILE = (0xf8, 0xd0, 0xcc), (0xfb, 0xe3, 0xe1)  # a gap in the matrix, a place with no organization

# The report in a frame exactly WIDTH wide (a headless window is never narrower than 500 pixels),
# measured from outside once everything has loaded.
FRAME = """<!doctype html><body style="margin:0">
<iframe id="report" src="{report}" style="border:0;width:{width}px;height:1400px"></iframe>
<script>
window.addEventListener('load', function(){{
  var page = document.getElementById('report').contentDocument;
  var table = page.querySelector('table.matrix').getBoundingClientRect();
  var pre = document.createElement('pre'); pre.id = 'layout';
  pre.textContent = [page.documentElement.clientWidth, page.documentElement.scrollWidth,
                     Math.floor(table.left), Math.ceil(table.right)].join(' ');
  document.body.appendChild(pre);
}});
</script></body>"""


@pytest.mark.parametrize("width", [390, 1366])
def test_screenshot_at_phone_and_desktop_width(page, tmp_path, width):
    from PIL import Image

    shot = tmp_path / f"report-{width}.png"
    # 2000 px tall: the matrix (with its gap cells) sits below the headline cards, which grew a stale count
    result = chromium(tmp_path, "--hide-scrollbars", f"--window-size={width},2000", f"--screenshot={shot}",
                      page.as_uri())
    assert shot.exists(), result.stderr
    image = Image.open(shot).convert("RGB")
    assert image.size == (width, 2000)
    colours = {colour for _, colour in image.getcolors(maxcolors=width * 2000)}
    assert {HEADER, PAGE, GAP_CELL, NO_ORG_TILE} <= colours  # the header, the matrix's gaps and the map were drawn
    top = [image.getpixel((x, 2)) for x in range(width)]
    assert set(top) == {HEADER}                               # the header spans the page
    edge = {image.getpixel((width - 1, y)) for y in range(image.height)}
    assert edge == {HEADER, PAGE}                             # nothing reaches the right edge: no box spills over it


@pytest.mark.parametrize("width", [390, 1366])
def test_the_matrix_fits_the_viewport(page, tmp_path, width):
    frame = tmp_path / "frame.html"
    frame.write_text(FRAME.format(report=page.name, width=width), encoding="utf-8")
    result = chromium(tmp_path, "--allow-file-access-from-files", "--window-size=1400,1600", "--dump-dom", frame.as_uri())
    layout = re.search(r'<pre id="layout">(.*?)</pre>', result.stdout)
    assert layout, result.stderr[-2000:]
    viewport, page_width, left, right = map(int, layout.group(1).split())
    assert width - 20 <= viewport <= width   # the frame, less a scroll bar
    assert page_width == viewport            # the page never scrolls sideways
    assert 0 < left < right <= viewport      # a matrix this small fits: no wider than the screen


PROBE = """<script>
(function(){
  var out=[];
  var tiles=document.querySelectorAll('.tile');
  tiles[1].dispatchEvent(new MouseEvent('click',{bubbles:true}));
  out.push(document.getElementById('tile-info').textContent);
  var table=document.querySelector('table.matrix');
  var th=table.querySelectorAll('thead th')[0];
  function firstColumn(){return Array.prototype.map.call(table.tBodies[0].rows,function(r){return r.cells[0].textContent;}).join(',');}
  th.click(); out.push(firstColumn());
  th.click(); out.push(firstColumn());
  var pre=document.createElement('pre'); pre.id='probe'; pre.textContent=out.join('\\n'); document.body.appendChild(pre);
})();
</script></body>"""


def test_tiles_and_sorting_respond(page, tmp_path):
    probed = tmp_path / "probed.html"
    probed.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE), encoding="utf-8")
    result = chromium(tmp_path, "--dump-dom", probed.as_uri())
    assert "Uncaught" not in result.stderr
    probe = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, re.S).group(1).split("\n")
    assert probe == ["Duhok: 1 active organization. Sectors: Education.", "Baghdad,Duhok,Erbil", "Erbil,Duhok,Baghdad"]


WIDE_PROBE = """<script>
(function(){
  var out=[],box=document.querySelector('.matrixbox'),nav=document.querySelector('.matrixnav');
  var ths=box.querySelectorAll('thead th'),last=ths[ths.length-1],first=ths[0];
  function seen(th){var b=box.getBoundingClientRect(),c=th.getBoundingClientRect();
    return c.right<=b.left+box.clientLeft+box.clientWidth+1;}
  out.push(nav.hidden?'no nav':'nav');
  out.push(document.querySelector('.offscreen').textContent);
  out.push(seen(last)?'last seen':'last hidden');
  for(var i=0;i<20&&!nav.querySelector('.next').disabled;i++){nav.querySelector('.next').click();}
  out.push(seen(last)?'last seen':'last hidden');
  out.push(Math.round(first.getBoundingClientRect().left-box.getBoundingClientRect().left)===0?'first fixed':'first moved');
  out.push(getComputedStyle(box.querySelector('tbody th')).position);
  var pre=document.createElement('pre'); pre.id='probe'; pre.textContent=out.join('\\n'); document.body.appendChild(pre);
})();
</script></body>"""


def test_wide_coverage_table_at_1366_px_shows_its_off_screen_sectors(tmp_path):
    """Thirteen sectors do not fit 1366 px: the first column stays, and the bar above the table
    names the sectors out of sight and scrolls to them."""
    from conftest import REPO

    out = tmp_path / "wide.html"
    result = CliRunner().invoke(app, ["report", "--data", str(REPO / "data"), "--as-of", "2022-12-31",
                                      "--format", "html", "--output", str(out)])
    assert result.exit_code == 0, result.output
    probed = tmp_path / "probed.html"
    probed.write_text(out.read_text(encoding="utf-8").replace("</body>", WIDE_PROBE), encoding="utf-8")
    done = chromium(tmp_path, "--window-size=1366,900", "--dump-dom", probed.as_uri())
    assert "Uncaught" not in done.stderr
    probe = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S).group(1).split("\n")
    assert probe[0] == "nav" and re.fullmatch(r"\d+ sectors? to the right \(.*Justice and corrections\)", probe[1]), probe
    assert probe[2:] == ["last hidden", "last seen", "first fixed", "sticky"]
