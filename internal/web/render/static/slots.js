// The home page slot board (焦点, 推荐): cards reordered by dragging
// (pointer events, so a mouse, a pen and a finger all work), by keyboard
// (Alt+↑ / Alt+↓ on a focused card) and by the cards' up, down and remove
// buttons; each change is saved at once through the board's own form, and
// the version the server answers goes into the form for the next save.
// When another editor saved first the server refuses (the slot service's
// version check) and the board shows the order it answers. Without this
// file the same form works by posting: the buttons move one card, the
// order fields take a typed order.
(function () {
  "use strict";
  var root = document.querySelector("[data-slot-board]");
  if (!root) return;
  var t = root.dataset;
  root.classList.add("slot-js");

  function cards(list) { return Array.prototype.slice.call(list.querySelectorAll(".slot-card")); }
  function status(form, text) { var s = form.querySelector(".slot-status"); if (s) s.textContent = text; }

  // renumber writes the cards' order into their order fields and the up
  // button of the first card (the down button of the last) off.
  function renumber(form) {
    var cs = cards(form);
    cs.forEach(function (c, i) {
      c.querySelector("input[type=number]").value = String(i);
      c.querySelector(".slot-up").disabled = i === 0;
      c.querySelector(".slot-down").disabled = i === cs.length - 1;
    });
  }

  var busy = new Map();
  // save posts the board's form as it is now; a save asked for while one
  // is on its way follows it, with the version the first one brings back.
  function save(form) {
    if (busy.get(form)) { busy.set(form, "again"); return; }
    busy.set(form, true);
    renumber(form);
    status(form, t.saving);
    var body = new URLSearchParams();
    new FormData(form).forEach(function (v, k) { if (typeof v === "string") body.append(k, v); });
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (r) { return r.text().then(function (text) { return { ok: r.ok, text: text }; }); })
      .then(function (res) {
        var doc = new DOMParser().parseFromString(res.text, "text/html");
        var slot = form.closest(".slot-board").dataset.slot;
        var fresh = doc.querySelector('.slot-board[data-slot="' + slot + '"]');
        var v = fresh && fresh.querySelector("input[name=version]");
        if (res.ok && v) {
          form.querySelector("input[name=version]").value = v.value;
          status(form, t.saved);
          return;
        }
        // Refused: say why and show the slot as it is now.
        var err = doc.querySelector(".error-box");
        var section = form.closest(".slot-board");
        if (fresh) {
          section.innerHTML = fresh.innerHTML;
          var f = section.querySelector(".slot-form");
          if (f) { wire(f); status(f, err ? err.textContent : t.failed); }
        } else status(form, err ? err.textContent : t.failed);
        busy.delete(form);
        throw null;
      })
      .then(function () {
        var again = busy.get(form) === "again";
        busy.delete(form);
        if (again) save(form);
      })
      .catch(function (e) { if (e !== null) { busy.delete(form); status(form, t.failed); } });
  }

  function moved(form, card) {
    var cs = cards(form);
    status(form, t.moved.replace("%s", card.dataset.title).replace("%d", String(cs.indexOf(card) + 1)));
  }

  function move(form, card, by) {
    var cs = cards(form), i = cs.indexOf(card), j = i + by;
    if (j < 0 || j >= cs.length) return;
    if (by < 0) cs[j].before(card); else cs[j].after(card);
    renumber(form);
    save(form);
  }

  function wire(form) {
    var list = form.querySelector(".slot-cards");
    renumber(form);
    form.addEventListener("click", function (e) {
      var b = e.target.closest("button");
      if (!b || !form.contains(b)) return;
      var card = b.closest(".slot-card");
      if (!card) return; // the save button posts the form (typed expiry dates)
      e.preventDefault();
      if (b.classList.contains("slot-up")) move(form, card, -1);
      else if (b.classList.contains("slot-down")) move(form, card, 1);
      else if (b.classList.contains("slot-remove")) {
        var next = card.nextElementSibling || card.previousElementSibling;
        card.remove();
        renumber(form);
        save(form);
        if (next) next.focus();
      }
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); save(form); });
    list.addEventListener("keydown", function (e) {
      var card = e.target.closest(".slot-card");
      if (!card || e.target !== card || !e.altKey) return;
      if (e.key === "ArrowUp" || e.key === "ArrowDown") {
        e.preventDefault();
        move(form, card, e.key === "ArrowUp" ? -1 : 1);
        card.focus();
        moved(form, card);
      }
    });

    // Dragging: a card picked up anywhere but its fields, links and
    // buttons follows the pointer; it goes before the card whose middle the
    // pointer passed, and the order is saved when it is let go.
    var drag = null;
    list.addEventListener("pointerdown", function (e) {
      var card = e.target.closest(".slot-card");
      if (!card || e.button !== 0 || e.target.closest("input, button, a, label")) return;
      e.preventDefault();
      drag = { card: card, id: e.pointerId, order: cards(form).map(function (c) { return c.dataset.id; }).join() };
      card.setPointerCapture(e.pointerId);
      card.classList.add("slot-dragging");
    });
    list.addEventListener("pointermove", function (e) {
      if (!drag || e.pointerId !== drag.id) return;
      var over = null;
      cards(form).some(function (c) {
        if (c === drag.card) return false;
        var r = c.getBoundingClientRect();
        if (e.clientY < r.top + r.height / 2) { over = c; return true; }
        return false;
      });
      if (over) { if (drag.card.nextElementSibling !== over) over.before(drag.card); }
      else if (list.lastElementChild !== drag.card) list.appendChild(drag.card);
    });
    function drop(e) {
      if (!drag || e.pointerId !== drag.id) return;
      var card = drag.card, before = drag.order;
      drag = null;
      card.classList.remove("slot-dragging");
      if (cards(form).map(function (c) { return c.dataset.id; }).join() !== before) {
        renumber(form);
        save(form);
        card.focus();
        moved(form, card);
      }
    }
    list.addEventListener("pointerup", drop);
    list.addEventListener("pointercancel", drop);
  }
  root.querySelectorAll(".slot-form").forEach(wire);
})();
