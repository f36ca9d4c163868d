// Live content checks (错敏检查) in the desk editor: as the author types,
// the text is sent to the desk API (debounced, never while an input method
// is composing: a half-typed pinyin syllable is not text yet), and the
// findings come back as rune offsets into that text. They are underlined
// in place with the CSS Custom Highlight API — ranges over the editor's
// own text nodes, so the editor's DOM, its undo history and the input
// method are never touched — and listed under the editor with a one-click
// fix. Any contenteditable editor can be hooked in: the desk's current one
// is found by its class; a bundled editor calls
// window.newsdeskChecks.attach(rootElement).
(function () {
  "use strict";
  var panel = document.getElementById("live-checks");
  if (!panel || !window.fetch) return;
  var t = panel.dataset;
  var LEVELS = ["block", "warn", "info"];
  var BLOCKS = /^(P|DIV|H[1-6]|LI|TR|TABLE|FIGURE|FIGCAPTION|BLOCKQUOTE|BR|UL|OL|PRE)$/;
  var highlights = window.CSS && CSS.highlights && window.Highlight;

  function attach(box) {
    var composing = false, timer = 0, seq = 0, map = null, findings = [];

    // text walks the editor as the server reads a story: text nodes in
    // order, a line break between blocks. segs remembers where each text
    // node starts in that text (in UTF-16 units, as JavaScript counts).
    function text() {
      var out = "", segs = [];
      function nl() { if (out && out[out.length - 1] !== "\n") out += "\n"; }
      (function walk(n) {
        for (var c = n.firstChild; c; c = c.nextSibling) {
          if (c.nodeType === Node.TEXT_NODE) { segs.push({ node: c, at: out.length }); out += c.data; }
          else if (c.nodeType === Node.ELEMENT_NODE) {
            var block = BLOCKS.test(c.tagName);
            if (block) nl();
            walk(c);
            if (block) nl();
          }
        }
      })(box);
      // Rune (code point) offsets from the server → UTF-16 offsets here.
      var units = [], i = 0;
      for (var ch of out) { units.push(i); i += ch.length; }
      units.push(i);
      return { text: out, segs: segs, units: units };
    }

    function point(m, at) {
      for (var i = m.segs.length - 1; i >= 0; i--) {
        var s = m.segs[i];
        if (s.at <= at && at <= s.at + s.node.data.length) return { node: s.node, offset: at - s.at };
      }
      return null;
    }

    function range(m, f) {
      var a = point(m, m.units[f.start]), b = point(m, m.units[f.end]);
      if (!a || !b || !box.contains(a.node) || !box.contains(b.node)) return null;
      var r = document.createRange();
      try { r.setStart(a.node, a.offset); r.setEnd(b.node, b.offset); } catch (e) { return null; }
      return r;
    }

    function show() {
      if (highlights) {
        LEVELS.forEach(function (lv) {
          var rs = [];
          findings.forEach(function (f) { if (f.level === lv && f.end > f.start) { var r = range(map, f); if (r) rs.push(r); } });
          CSS.highlights.set("check-" + lv, new Highlight(...rs));
        });
      }
      panel.hidden = false;
      panel.textContent = "";
      var h = document.createElement("h3");
      h.textContent = t.title + " · " + findings.length;
      panel.appendChild(h);
      if (!findings.length) {
        var p = document.createElement("p"); p.textContent = t.none; panel.appendChild(p);
        return;
      }
      // By level, as the story's panel lists them: what stops the story,
      // what needs an acknowledgement, then the suggestions (typography),
      // which need neither.
      LEVELS.forEach(function (lv) {
        var mine = findings.filter(function (f) { return f.level === lv; });
        if (mine.length) group(lv, mine);
      });
    }

    function group(lv, list) {
      var h = document.createElement("h4");
      h.className = "level level-" + lv;
      h.textContent = (t[lv] || lv) + " · " + list.length;
      panel.appendChild(h);
      if (lv === "info" && t.infoNote) {
        var note = document.createElement("p");
        note.className = "hint"; note.textContent = t.infoNote;
        panel.appendChild(note);
      }
      var ul = document.createElement("ul");
      ul.className = "findings findings-" + lv;
      list.forEach(function (f) {
        var li = document.createElement("li");
        li.className = "finding finding-" + f.level;
        var mk = document.createElement("mark"); mk.textContent = f.text;
        li.appendChild(mk);
        li.appendChild(document.createTextNode(" " + f.message + (f.fix ? " → " + (f.suggestion || t.remove) : "")));
        if (f.fix && f.end > f.start) {
          var b = document.createElement("button");
          b.type = "button"; b.className = "check-fix"; b.textContent = t.apply;
          b.addEventListener("click", function () { fix(f); });
          li.appendChild(document.createTextNode(" "));
          li.appendChild(b);
        }
        ul.appendChild(li);
      });
      panel.appendChild(ul);
    }

    // fix replaces the finding's text with its suggestion through the
    // editor's own editing commands, so undo and the editor's sync work.
    function fix(f) {
      var m = text(), r = range(m, f);
      if (!r || r.toString() !== f.text) { run(); return; } // the text moved on: check again
      box.focus();
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(r);
      if (f.suggestion) document.execCommand("insertText", false, f.suggestion);
      else document.execCommand("delete");
      box.dispatchEvent(new Event("input", { bubbles: true }));
      run();
    }

    function run() {
      clearTimeout(timer);
      if (composing) return;
      var m = text(), my = ++seq;
      fetch(t.api, { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": t.csrf }, body: JSON.stringify({ text: m.text }) })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) {
          if (!j || my !== seq || composing) return; // a newer check is under way, or typing resumed
          map = m; findings = j.findings || [];
          panel.dataset.checked = String(my);
          show();
        })
        .catch(function () {});
    }
    function later() { clearTimeout(timer); timer = setTimeout(run, 400); }

    box.addEventListener("compositionstart", function () { composing = true; clearTimeout(timer); });
    box.addEventListener("compositionend", function () { composing = false; later(); });
    box.addEventListener("input", function (e) { if (!composing && !e.isComposing) later(); });
    run();
  }

  window.newsdeskChecks = { attach: attach };
  // The bundled editor builds its element after this script runs: wait
  // for it (a few seconds at most) when the page has one coming.
  var tries = 0;
  (function find() {
    var box = document.querySelector(".editor[contenteditable]");
    if (box) return attach(box);
    if (document.querySelector("textarea[data-editor=bundle]") && ++tries < 200) setTimeout(find, 50);
  })();
})();
