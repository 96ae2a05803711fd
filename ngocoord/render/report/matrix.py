"""The wide coverage matrix of the HTML report: its box scrolls both ways with the header row and
the area column fixed, and a bar above it names the columns out of sight and scrolls to them
(html.coverage_table writes the markup; this is its style and its script)."""

MATRIX_CSS = """
.matrixbox{max-height:75vh;overflow:auto}
.matrix thead th{position:sticky;top:0;z-index:2}
.matrix thead th:first-child{left:0;z-index:3;box-shadow:1px 0 0 #e6e9ee}
.matrixnav{display:flex;align-items:center;gap:8px;margin:0 0 6px;font-size:.85rem;color:#52606d}
.matrixnav[hidden]{display:none}
.matrixnav button{border:1px solid #cbd2d9;background:#fff;border-radius:4px;padding:2px 10px;cursor:pointer;font-size:.85rem}
.matrixnav button:disabled{opacity:.35;cursor:default}
.offscreen{flex:1}
"""

# an immediately run function of its own: it needs nothing from the page's other script
MATRIX_JS = """
(function(){
  document.querySelectorAll('.matrixbox').forEach(function(box){
    var nav=box.previousElementSibling,text=nav.querySelector('.offscreen');
    var prev=nav.querySelector('.prev'),next=nav.querySelector('.next'),what=box.getAttribute('data-what');
    function n(k){return k+' '+(k===1?what.replace(/s$/,''):what);}
    function names(l){return l.length>3?l.slice(0,3).join(', ')+', …':l.join(', ');}
    function cols(){return Array.prototype.slice.call(box.querySelectorAll('thead th')).slice(1);}
    function fixed(){return box.querySelector('thead th').getBoundingClientRect().right;}
    function update(){
      var r=box.getBoundingClientRect(),left=fixed(),before=[],after=[];r={left:r.left,right:r.left+box.clientLeft+box.clientWidth};
      cols().forEach(function(th){var c=th.getBoundingClientRect();
        if(c.left<left-1)before.push(th.textContent);else if(c.right>r.right+1)after.push(th.textContent);});
      nav.hidden=!(before.length||after.length);
      prev.disabled=!before.length;next.disabled=!after.length;
      text.textContent=(before.length?n(before.length)+' to the left ('+names(before)+')':'')
        +(before.length&&after.length?'; ':'')
        +(after.length?n(after.length)+' to the right ('+names(after)+')':'');
    }
    function step(dir){var b=box.getBoundingClientRect(),left=fixed(),list=cols(),r={right:b.left+box.clientLeft+box.clientWidth};
      var target=dir>0?list.filter(function(th){return th.getBoundingClientRect().right>r.right+1;})[0]
                      :list.filter(function(th){return th.getBoundingClientRect().left<left-1;}).pop();
      if(target){var c=target.getBoundingClientRect();
        box.scrollLeft+=dir>0?c.right-r.right+4:c.left-left-4;}}
    prev.addEventListener('click',function(){step(-1);});
    next.addEventListener('click',function(){step(1);});
    box.addEventListener('scroll',update);window.addEventListener('resize',update);update();
  });
})();
"""
