// Focus carousel: the page works without this file (scroll-snap and anchor
// links). With it the carousel rotates every 6 s, pauses on hover, keyboard
// focus and the pause button, and follows the arrow keys.
(function () {
  "use strict";
  document.querySelectorAll("[data-carousel]").forEach(function (root) {
    var track = root.querySelector(".slides");
    var slides = root.querySelectorAll(".slide");
    var dots = root.querySelectorAll(".dots a");
    if (slides.length < 2) return;
    var current = 0, timer = null, paused = false, hovered = false, aim = null, aimUntil = 0;
    var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

    function mark() {
      dots.forEach(function (d, j) { d.setAttribute("aria-current", j === current ? "true" : "false"); });
    }
    function show(i, focus) {
      current = (i + slides.length) % slides.length;
      aim = current; aimUntil = Date.now() + 1500;
      track.scrollTo({ left: slides[current].offsetLeft - track.offsetLeft, behavior: reduce ? "auto" : "smooth" });
      mark();
      if (focus) slides[current].querySelector("a").focus({ preventScroll: true });
    }
    function button(cls, label, text, fn) {
      var b = document.createElement("button");
      b.type = "button"; b.className = "ctl " + cls; b.setAttribute("aria-label", label); b.textContent = text;
      b.addEventListener("click", fn);
      root.appendChild(b);
      return b;
    }
    function running() { return !paused && !hovered && !root.contains(document.activeElement); }
    function tick() { if (running()) show(current + 1); }
    function start() { if (!timer && !reduce) timer = setInterval(tick, 6000); }

    button("prev", root.dataset.prev, "‹", function () { show(current - 1); });
    button("next", root.dataset.next, "›", function () { show(current + 1); });
    var pause = button("pause", root.dataset.pause, "❚❚", function () {
      paused = !paused;
      pause.setAttribute("aria-label", paused ? root.dataset.play : root.dataset.pause);
      pause.textContent = paused ? "▶" : "❚❚";
      pause.setAttribute("aria-pressed", paused ? "true" : "false");
    });
    pause.setAttribute("aria-pressed", "false");
    root.addEventListener("mouseenter", function () { hovered = true; });
    root.addEventListener("mouseleave", function () { hovered = false; });
    root.addEventListener("keydown", function (e) {
      if (e.key === "ArrowRight") { show(current + 1, true); e.preventDefault(); }
      if (e.key === "ArrowLeft") { show(current - 1, true); e.preventDefault(); }
    });
    dots.forEach(function (d, j) {
      d.addEventListener("click", function (e) { e.preventDefault(); show(j); });
    });
    // A swipe moves the slides without show(): follow it once scrolling
    // settles (not during show()'s own smooth scroll, which passes others).
    var settle = null;
    track.addEventListener("scroll", function () {
      clearTimeout(settle);
      settle = setTimeout(function () {
        var i = Math.round(track.scrollLeft / track.clientWidth);
        // A pause inside show()'s own smooth scroll (a busy phone) is not a
        // swipe: wait for it to arrive, for a while.
        if (aim !== null && i !== aim && Date.now() < aimUntil) return;
        aim = null;
        if (i !== current && i >= 0 && i < slides.length) { current = i; mark(); }
      }, 200);
    }, { passive: true });
    root.dataset.ready = "true";
    show(0);
    start();
  });
})();
