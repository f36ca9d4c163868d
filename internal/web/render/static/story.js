// Desk story page: the edit lock's heartbeat, and annotations (批注).
// Both speak the desk API with the page's session and CSRF token. Without
// this file the page still works: saves are guarded by their version.
(function () {
  "use strict";
  var notice = document.getElementById("lock-notice");
  if (!notice) return;
  var t = notice.dataset, id = t.story, api = "/api/v1/desk/articles/" + id;
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
})();
