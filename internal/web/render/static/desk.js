// Desk editor: turns the body's HTML textarea into a WYSIWYG area. Without
// this file the textarea still works. This is the fallback editor: when the
// bundled editor (tools/editor, built into static/editor.bundle.js) is embedded, the
// page marks the textarea data-editor="bundle" and only the cleaning
// functions here run, shared with the bundle as window.newsdeskHTML. Pasted HTML (from Word, web pages)
// keeps its structure — headings, lists, tables, bold — and loses Office's
// styling and anything that could run (sanitize); the server sanitises
// every save again. Unsaved text is kept in
// the browser (autosave) and offered back after a crash or a lost tab.
(function () {
  "use strict";

  // sanitize keeps what a story body may hold, as the server's allow-list
  // (article.Sanitize) does: HTML is parsed in an inert document (nothing
  // loads or runs there), then every element outside the list is dropped
  // (with its content if it is code or a form) or unwrapped, and every
  // attribute outside the list goes, event handlers with them; links and
  // images keep only http(s), mailto and same-site addresses. It runs on
  // everything that enters the editor: pastes, the text the page brings
  // (a refused save shows what was typed), a draft kept in the browser.
  var DROP = /^(SCRIPT|STYLE|IFRAME|FRAME|FRAMESET|OBJECT|EMBED|APPLET|FORM|INPUT|BUTTON|SELECT|TEXTAREA|OPTION|TEMPLATE|NOSCRIPT|SVG|MATH|META|LINK|BASE|TITLE|XML|AUDIO|VIDEO|CANVAS|DIALOG)$/;
  var KEEP = /^(A|ABBR|ACRONYM|ADDRESS|ARTICLE|ASIDE|B|BDI|BDO|BLOCKQUOTE|BR|CAPTION|CITE|CODE|COL|COLGROUP|DD|DEL|DETAILS|DFN|DIV|DL|DT|EM|FIGCAPTION|FIGURE|H1|H2|H3|H4|H5|H6|HGROUP|HR|I|IMG|INS|KBD|LI|MARK|OL|P|PICTURE|PRE|Q|RP|RT|RUBY|S|SAMP|SECTION|SMALL|SOURCE|SPAN|STRIKE|STRONG|SUB|SUMMARY|SUP|TABLE|TBODY|TD|TFOOT|TH|THEAD|TIME|TR|TT|U|UL|VAR|WBR)$/;
  var ATTRS = {
    "*": ["title", "dir", "id"],
    A: ["href"], IMG: ["src", "alt", "width", "height", "srcset", "sizes", "loading", "decoding", "class"],
    SOURCE: ["srcset", "sizes", "type"], FIGURE: ["class"], P: ["class"], TABLE: ["class"],
    TD: ["colspan", "rowspan", "headers"], TH: ["colspan", "rowspan", "headers", "scope"], COL: ["span"], COLGROUP: ["span"],
    OL: ["start", "reversed", "type"], UL: ["type"], LI: ["value"], BLOCKQUOTE: ["cite"], Q: ["cite"],
    DEL: ["cite", "datetime"], INS: ["cite", "datetime"], TIME: ["datetime"], DETAILS: ["open"]
  };
  var URLS = { href: true, src: true, cite: true };
  function safeURL(v) {
    try {
      var u = new URL(v, location.href);
      return u.protocol === "http:" || u.protocol === "https:" || u.protocol === "mailto:";
    } catch (e) { return false; }
  }
  // video keeps a library video as the server does (article.Sanitize):
  // native controls, metadata preloaded, its poster, nothing else; a video
  // that plays no library file goes.
  var OWN = /^\/media\/[0-9]+\/[^\s"'<>]+$/;
  function video(n) {
    var src = n.getAttribute("src") || "", poster = n.getAttribute("poster") || "";
    if (!OWN.test(src)) return [];
    var v = n.ownerDocument.createElement("video");
    v.setAttribute("controls", "");
    v.setAttribute("preload", "metadata");
    if (OWN.test(poster)) v.setAttribute("poster", poster);
    v.setAttribute("src", src);
    return [v];
  }
  function sanitize(html) {
    var doc = new DOMParser().parseFromString("<!doctype html><body>" + html, "text/html");
    (function walk(parent) {
      Array.prototype.slice.call(parent.childNodes).forEach(function (n) {
        if (n.nodeType === Node.TEXT_NODE) return;
        if (n.nodeType !== Node.ELEMENT_NODE) { n.remove(); return; } // comments, processing instructions
        var tag = n.tagName.toUpperCase();
        if (tag === "VIDEO") { n.replaceWith.apply(n, video(n)); return; }
        if (DROP.test(tag)) { n.remove(); return; }
        walk(n);
        if (!KEEP.test(tag)) { n.replaceWith.apply(n, Array.prototype.slice.call(n.childNodes)); return; }
        var ok = ATTRS["*"].concat(ATTRS[tag] || []);
        Array.prototype.slice.call(n.attributes).forEach(function (a) {
          var name = a.name.toLowerCase();
          if (ok.indexOf(name) < 0 || (URLS[name] && !safeURL(a.value)) ||
              (name === "srcset" && !a.value.split(",").every(function (c) { return safeURL(c.trim().split(/\s+/)[0]); })) ||
              (name === "class" && !/^[a-z][a-z0-9 -]*$/.test(a.value))) {
            n.removeAttribute(a.name);
          }
        });
      });
    })(doc.body);
    return doc.body.innerHTML;
  }

  // Office HTML: drop its styles, comments, XML namespaces and classes;
  // keep the elements. Then the same allow-list as any other HTML.
  function clean(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    doc.querySelectorAll("style, script, meta, link, xml, title").forEach(function (n) { n.remove(); });
    doc.body.querySelectorAll("*").forEach(function (n) {
      if (n.tagName.indexOf(":") >= 0) { n.replaceWith.apply(n, Array.prototype.slice.call(n.childNodes)); return; }
      ["style", "class", "lang", "align", "width", "height"].forEach(function (a) { n.removeAttribute(a); });
    });
    return sanitize(doc.body.innerHTML);
  }
  window.newsdeskHTML = { sanitize: sanitize, clean: clean, safeURL: safeURL };

  var area = document.querySelector("textarea[data-wysiwyg]:not([data-editor=bundle])");
  if (!area || !document.execCommand) return;
  var form = area.form;
  var key = "newsdesk-draft:" + location.pathname;
  var t = area.dataset;

  var bar = document.createElement("div");
  bar.className = "editor-bar";
  bar.setAttribute("role", "toolbar");
  var box = document.createElement("div");
  box.className = "editor";
  box.contentEditable = "true";
  box.setAttribute("role", "textbox");
  box.setAttribute("aria-multiline", "true");
  box.setAttribute("aria-labelledby", "body-label");
  box.innerHTML = sanitize(area.value);
  [["bold", null, t.bold], ["formatBlock", "h2", t.heading], ["formatBlock", "p", t.paragraph],
   ["insertUnorderedList", null, t.list], ["insertOrderedList", null, t.numbered]].forEach(function (c) {
    var b = document.createElement("button");
    b.type = "button"; b.textContent = c[2];
    b.addEventListener("click", function () { box.focus(); document.execCommand(c[0], false, c[1]); sync(); });
    bar.appendChild(b);
  });
  area.hidden = true;
  area.parentNode.insertBefore(bar, area);
  area.parentNode.insertBefore(box, area);

  // Photos go in where the cursor was: the panel uploads the file (checked
  // by content on the server) and inserts the figure it answers.
  var range = null;
  document.addEventListener("selectionchange", function () {
    var s = window.getSelection();
    if (s.rangeCount && box.contains(s.getRangeAt(0).commonAncestorContainer)) range = s.getRangeAt(0).cloneRange();
  });
  var panel = document.createElement("div");
  panel.className = "editor-photo";
  function field(name, label, type) {
    var l = document.createElement("label"), i = document.createElement("input");
    l.textContent = label; i.name = "photo-" + name; i.type = type || "text";
    l.appendChild(i); panel.appendChild(l);
    return i;
  }
  var file = field("file", t.photo, "file"), caption = field("caption", t.caption), alt = field("alt", t.alt), credit = field("credit", t.credit);
  file.accept = "image/jpeg,image/png,image/gif,image/webp,image/heic,.heic";
  var insert = document.createElement("button"), status = document.createElement("span");
  insert.type = "button"; insert.textContent = t.insert; status.setAttribute("role", "status");
  panel.appendChild(insert); panel.appendChild(status);
  bar.parentNode.insertBefore(panel, box);
  insert.addEventListener("click", function () {
    var fd = new FormData();
    fd.append("csrf", form.querySelector("input[name=csrf]").value);
    if (file.files[0]) fd.append("file", file.files[0]);
    fd.append("caption", caption.value); fd.append("alt", alt.value); fd.append("credit", credit.value);
    status.textContent = t.uploading;
    fetch("/desk/media", { method: "POST", body: fd, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        if (j.error) { status.textContent = j.error; return; }
        insertFigure(j.html);
        file.value = caption.value = alt.value = credit.value = "";
      })
      .catch(function () { status.textContent = t.failed; });
  });

  // A figure is a block of its own: it goes after the paragraph (or
  // table, list) holding the cursor, never inside it.
  function insertFigure(html) {
    var node = range ? range.startContainer : box.lastChild;
    while (node && node.parentNode !== box) node = node.parentNode;
    var tmp = document.createElement("div");
    tmp.innerHTML = sanitize(html);
    box.insertBefore(tmp.firstElementChild, node ? node.nextSibling : null);
    sync();
    status.textContent = t.inserted;
  }

  // Photos already in the library (图库) go in the same way; their caption,
  // alt text and credit are the library's.
  var pick = document.createElement("div"), q = document.createElement("input"), find = document.createElement("button"), found = document.createElement("div");
  pick.className = "editor-library";
  q.type = "search"; q.setAttribute("aria-label", t.library); q.placeholder = t.library;
  find.type = "button"; find.textContent = t.library;
  found.className = "picks";
  pick.appendChild(q); pick.appendChild(find); pick.appendChild(found);
  panel.appendChild(pick);
  find.addEventListener("click", function () {
    fetch("/desk/library/pick?q=" + encodeURIComponent(q.value), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (list) {
        found.textContent = list.length ? "" : t.libraryNone;
        list.forEach(function (m) {
          var b = document.createElement("button"), img = document.createElement("img");
          b.type = "button"; b.title = m.Caption || m.Alt;
          img.src = m.Thumb; img.alt = m.Alt; img.width = 96; img.height = 64;
          b.appendChild(img);
          b.addEventListener("click", function () { insertFigure(m.html); });
          found.appendChild(b);
        });
      })
      .catch(function () { status.textContent = t.failed; });
  });

  function sync() {
    area.value = box.innerHTML;
    try { localStorage.setItem(key, area.value); } catch (e) { /* private mode: no autosave */ }
  }
  box.addEventListener("paste", function (e) {
    var html = e.clipboardData && e.clipboardData.getData("text/html");
    if (!html) return; // plain text: the browser's own paste is right
    e.preventDefault();
    document.execCommand("insertHTML", false, clean(html));
    sync();
  });
  box.addEventListener("input", sync);
  form.addEventListener("submit", function () {
    area.value = box.innerHTML;
    try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
  });
  // Autosave to the server every 30 s while the text changes (stories that
  // exist already; a new one is saved by its first save). The answer is the
  // page after saving, which carries the new version; a conflict stops it.
  var saved = box.innerHTML, version = form.querySelector("input[name=version]");
  form.addEventListener("autosave", function () {
    // data-lock-lost: someone took this story's edit lock over (story.js).
    if (box.innerHTML === saved || !t.autosaved || form.dataset.lockLost || !/\/desk\/articles\/\d+$/.test(form.action)) return;
    saved = area.value = box.innerHTML;
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) { if (typeof value === "string") params.append(name, value); });
    fetch(form.action, { method: "POST", body: params, credentials: "same-origin" })
      .then(function (r) { return r.text().then(function (html) { return { ok: r.ok, html: html }; }); })
      .then(function (res) {
        var doc = new DOMParser().parseFromString(res.html, "text/html");
        var v = doc.querySelector("form.card input[name=version]");
        if (res.ok && v) {
          version.value = v.value;
          say(t.autosaved);
          try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
        } else {
          var err = doc.querySelector(".error-box");
          say(err ? err.textContent : t.failed);
        }
      })
      .catch(function () { saved = null; say(t.failed); });
  });
  setInterval(function () { form.dispatchEvent(new Event("autosave")); }, 30000);
  var note = document.createElement("p");
  note.className = "hint autosave";
  note.setAttribute("role", "status");
  box.parentNode.insertBefore(note, box.nextSibling);
  function say(text) { note.textContent = text; }

  var kept = null;
  try { kept = localStorage.getItem(key); } catch (e) { /* no storage */ }
  if (kept && kept !== area.value) {
    var offer = document.createElement("p");
    offer.className = "flash";
    var restore = document.createElement("button");
    restore.type = "button"; restore.textContent = t.restore;
    restore.addEventListener("click", function () { box.innerHTML = sanitize(kept); sync(); offer.remove(); });
    offer.textContent = t.unsaved + " ";
    offer.appendChild(restore);
    bar.parentNode.insertBefore(offer, bar);
  }
})();

// Length counters: a field marked data-counter shows how much of its
// maximum length is used (摘要 120/1000), counting characters, not bytes.
(function () {
  "use strict";
  document.querySelectorAll("[data-counter][maxlength]").forEach(function (f) {
    var out = document.createElement("span");
    out.className = "hint counter";
    out.setAttribute("aria-live", "polite");
    function show() { out.textContent = Array.from(f.value).length + " / " + f.maxLength; }
    f.addEventListener("input", show);
    f.after(out);
    show();
  });
})();

// Preview (预览): the story form as it is now, unsaved, in the public
// article template (the server renders it, sanitised, saving nothing),
// shown at phone or desktop width in a frame that runs no script.
(function () {
  "use strict";
  var button = document.querySelector(".preview-button");
  var form = document.getElementById("story-form");
  if (!button || !form) return;
  var t = button.dataset;
  var dlg = document.createElement("dialog"), bar = document.createElement("div"), frame = document.createElement("iframe");
  dlg.className = "preview";
  bar.className = "preview-bar";
  frame.setAttribute("sandbox", "allow-same-origin");
  frame.title = button.textContent;
  [["phone", 375], ["desktop", 1280]].forEach(function (w) {
    var b = document.createElement("button");
    b.type = "button"; b.textContent = t[w[0]]; b.className = "preview-" + w[0];
    b.addEventListener("click", function () { frame.style.width = w[1] + "px"; });
    bar.appendChild(b);
  });
  var close = document.createElement("button");
  close.type = "button"; close.textContent = t.close; close.className = "preview-close";
  close.addEventListener("click", function () { dlg.close(); });
  bar.appendChild(close);
  dlg.appendChild(bar); dlg.appendChild(frame);
  document.body.appendChild(dlg);
  button.addEventListener("click", function () {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) { if (typeof value === "string") params.append(name, value); });
    fetch("/desk/articles/preview", { method: "POST", body: params, credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        frame.srcdoc = html;
        if (!frame.style.width) frame.style.width = (window.innerWidth < 700 ? 375 : 1280) + "px";
        dlg.showModal();
      });
  });
})();
