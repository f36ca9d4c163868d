// Desk story page: the edit lock's heartbeat, and annotations (批注).
// Both speak the desk API with the page's session and CSRF token. Without
// this file the page still works: saves are guarded by their version.
(function () {
  "use strict";
  var panel = document.getElementById("annotations");
  if (!panel) return;
  var notice = document.getElementById("lock-notice");
  var t = panel.dataset, id = t.story, api = "/api/v1/desk/articles/" + id;
  function call(method, path, body, keepalive) {
    return fetch(api + path, {
      method: method, credentials: "same-origin", keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": t.csrf },
      body: body ? JSON.stringify(body) : undefined
    }).then(function (r) {
      if (r.status === 204) return null;
      return r.json().then(function (j) { if (!r.ok) throw j; return j; });
    });
  }
  function fill(text, name, time) { return text.replace("{name}", name).replace("{time}", time); }
  function hhmm(iso) { return iso ? iso.slice(11, 16) : ""; }

  // The edit lock: this page holds it while open, renewing it every
  // heartbeat. When someone else holds it, a notice says who and since
  // when, with a take-over button (the page takes the lock by itself once
  // it is free); when someone takes it from this page, the page says so,
  // locks its form and stops its autosave (desk.js checks data-lock-lost).
  var form = document.querySelector("form.story-form");
  whenEditor(annotations);
  if (!notice) return;
  t = notice.dataset;
  var token = Math.random().toString(36).slice(2) + Date.now().toString(36);
  var text = notice.querySelector(".lock-text"), take = notice.querySelector(".lock-take");
  var held = false, lost = false, timer = null;
  function readOnly() {
    form.querySelectorAll("input, select, textarea, button").forEach(function (el) {
      if (el.type !== "hidden") el.disabled = true;
    });
    form.querySelectorAll(".editor").forEach(function (el) { el.contentEditable = "false"; });
    form.classList.add("locked");
  }
  function show(l) {
    if (l.mine) {
      held = true;
      notice.hidden = true;
      return;
    }
    var name = l.holder ? l.holder.name : "";
    if (held) {
      // Someone took it from this page: say so once, and stop saving.
      held = false; lost = true;
      if (form) form.dataset.lockLost = "1";
      text.textContent = fill(t.lost, name, hhmm(l.since));
      take.hidden = true;
      notice.hidden = false;
      notice.classList.add("lost");
      readOnly();
      clearInterval(timer);
      return;
    }
    text.textContent = fill(t.held, name, hhmm(l.since));
    take.hidden = false;
    take.dataset.holder = name;
    notice.hidden = false;
  }
  function beat() {
    if (lost) return;
    call("POST", "/lock", { token: token }).then(show).catch(function () { /* next beat tries again */ });
  }
  take.addEventListener("click", function () {
    if (!window.confirm(fill(t.confirm, take.dataset.holder || "", ""))) return;
    call("POST", "/lock/takeover", { token: token }).then(function (l) {
      show(l);
      var done = document.createElement("p");
      done.className = "flash"; done.setAttribute("role", "status"); done.textContent = t.taken;
      notice.parentNode.insertBefore(done, notice);
    });
  });
  if (form) {
    beat();
    timer = setInterval(beat, 30000);
    window.addEventListener("pagehide", function () {
      if (held) call("DELETE", "/lock?token=" + encodeURIComponent(token), null, true).catch(function () { /* lapses on its own */ });
    });
  }

  // Annotations (批注): the text's passages are highlighted where the
  // server found them (offsets into the text without spaces: the same on
  // both sides), with the CSS highlight API, which leaves the editor's
  // DOM, and so the saved body, untouched. Selecting a passage offers a
  // comment box; replies and resolutions go to the API, then the page
  // reloads to show them.
  // whenEditor runs fn once the story's editor is on the page: the bundled
  // editor, a script that runs after this one, builds its element itself.
  function whenEditor(fn) {
    var tries = 0;
    (function wait() {
      var pending = document.querySelector("form.story-form textarea[data-editor=bundle]") && !document.querySelector("form.story-form .editor");
      if (!pending || ++tries > 200) return fn();
      setTimeout(wait, 50);
    })();
  }

  function annotations() {
    var root = document.querySelector("form.story-form .editor") || document.querySelector("article.card .body");
    var fresh = panel.querySelector(".annot-new"), quote = fresh.querySelector(".annot-quote"),
      body = fresh.querySelector("textarea"), status = fresh.querySelector(".annot-status");
    function chars(node) {
      // Every non-space character of root, with its text node and offset.
      var out = [], walk = document.createTreeWalker(node, NodeFilter.SHOW_TEXT), n;
      while ((n = walk.nextNode())) {
        for (var i = 0; i < n.data.length; i++) if (!/\s/.test(n.data[i])) out.push([n, i]);
      }
      return out;
    }
    function squeeze(s) { return s.replace(/\s+/g, ""); }
    if (root && window.CSS && CSS.highlights && window.Highlight) {
      var cs = chars(root), all = new Highlight();
      panel.querySelectorAll(".annot[data-start]:not(.resolved)").forEach(function (el) {
        var s = +el.dataset.start, e = +el.dataset.end;
        if (e > cs.length || s >= e) return;
        var r = document.createRange();
        r.setStart(cs[s][0], cs[s][1]); r.setEnd(cs[e - 1][0], cs[e - 1][1] + 1);
        all.add(r);
        el.addEventListener("mouseenter", function () { CSS.highlights.set("annot-active", new Highlight(r)); });
        el.addEventListener("mouseleave", function () { CSS.highlights.delete("annot-active"); });
      });
      CSS.highlights.set("annot", all);
    }
    var picked = null;
    if (root) document.addEventListener("selectionchange", function () {
      var sel = window.getSelection();
      if (!sel.rangeCount || sel.isCollapsed) return;
      var r = sel.getRangeAt(0);
      if (!root.contains(r.commonAncestorContainer)) return;
      var before = document.createRange();
      before.setStart(root, 0); before.setEnd(r.startContainer, r.startOffset);
      var text = squeeze(root.textContent), pos = squeeze(before.toString()).length, q = squeeze(sel.toString());
      if (!q) return;
      picked = { quote: sel.toString().trim(), position: pos, prefix: text.slice(Math.max(0, pos - 32), pos), suffix: text.slice(pos + q.length, pos + q.length + 32) };
      quote.textContent = picked.quote;
      fresh.hidden = false;
    });
    function fail(j) { status.textContent = (j && j.error && j.error.message) || "!"; }
    fresh.querySelector(".annot-save").addEventListener("click", function () {
      if (!picked) return;
      picked.body = body.value;
      call("POST", "/annotations", picked).then(function () { location.reload(); }).catch(fail);
    });
    panel.querySelectorAll(".annot").forEach(function (el) {
      var aid = el.dataset.id, send = el.querySelector(".annot-reply-send"), done = el.querySelector(".annot-resolve");
      if (send) send.addEventListener("click", function () {
        call("POST", "/annotations/" + aid + "/replies", { body: el.querySelector(".annot-reply-body").value })
          .then(function () { location.reload(); }).catch(function (j) { window.alert((j && j.error && j.error.message) || "!"); });
      });
      if (done) done.addEventListener("click", function () {
        call("POST", "/annotations/" + aid + "/resolve").then(function () { location.reload(); });
      });
    });
  }
})();
