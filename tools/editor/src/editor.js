// The desk's story editor: Tiptap (on ProseMirror) over the body textarea
// the page marks data-editor="bundle". It keeps the fallback editor's page
// contract (static/desk.js): .editor-bar, the .editor box, the
// .editor-photo panel with its library picker, the .autosave note and the
// form's "autosave" event, so the desk's tests drive either. What enters
// the editor — pastes, drafts kept in the browser, the page's own text —
// goes through desk.js's allow-list (window.newsdeskHTML) and then the
// schema, which keeps only the nodes below; the server sanitises again.
import { Editor, Node, mergeAttributes } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { Table, TableRow, TableCell, TableHeader } from "@tiptap/extension-table";

const area = document.querySelector("textarea[data-wysiwyg][data-editor=bundle]");
const cleaner = window.newsdeskHTML;

// Figure is a photo block as the body stores it (article.FigureHTML):
// <figure><img src alt width height><figcaption>…</figcaption></figure>.
// It is one atom: the library describes the photo, so the caption is kept
// as text, not edited in place.
const Figure = Node.create({
  name: "figure",
  group: "block",
  atom: true,
  draggable: true,
  addAttributes() {
    return { src: {}, alt: { default: "" }, width: { default: null }, height: { default: null }, caption: { default: "" }, cls: { default: null } };
  },
  parseHTML() {
    return [{
      tag: "figure",
      getAttrs: (el) => {
        const img = el.querySelector("img");
        if (!img) return false;
        const cap = el.querySelector("figcaption");
        return { src: img.getAttribute("src"), alt: img.getAttribute("alt") || "", width: img.getAttribute("width"), height: img.getAttribute("height"),
          caption: cap ? cap.textContent : "", cls: el.getAttribute("class") };
      },
    }];
  },
  renderHTML({ node }) {
    const a = node.attrs;
    const img = ["img", { src: a.src, alt: a.alt, width: a.width, height: a.height }];
    return ["figure", a.cls ? { class: a.cls } : {}, img, ["figcaption", {}, a.caption]];
  },
});

// Video is a library video as the body stores it (article.VideoHTML):
// <figure class="video"><video controls preload="metadata" poster src>
// </video><figcaption>…</figcaption></figure>. One atom, like a photo.
const Video = Node.create({
  name: "video",
  group: "block",
  atom: true,
  draggable: true,
  addAttributes() {
    return { src: {}, poster: { default: null }, caption: { default: "" } };
  },
  parseHTML() {
    return [{
      tag: "figure",
      priority: 60, // before Figure, which wants an img
      getAttrs: (el) => {
        const v = el.querySelector("video");
        if (!v || !v.getAttribute("src")) return false;
        const cap = el.querySelector("figcaption");
        return { src: v.getAttribute("src"), poster: v.getAttribute("poster"), caption: cap ? cap.textContent : "" };
      },
    }, {
      tag: "video[src]",
      getAttrs: (v) => ({ src: v.getAttribute("src"), poster: v.getAttribute("poster"), caption: "" }),
    }];
  },
  renderHTML({ node }) {
    const a = node.attrs;
    const v = ["video", { controls: "", preload: "metadata", poster: a.poster, src: a.src }];
    return ["figure", { class: "video" }, v, ["figcaption", {}, a.caption]];
  },
});

// Image is a picture inside a paragraph (pasted from a web page).
const Image = Node.create({
  name: "image",
  inline: true,
  group: "inline",
  atom: true,
  addAttributes() {
    return { src: {}, alt: { default: "" }, width: { default: null }, height: { default: null } };
  },
  parseHTML() { return [{ tag: "img[src]" }]; },
  renderHTML({ HTMLAttributes }) { return ["img", HTMLAttributes]; },
});

// Tables without the column widths Tiptap writes as style attributes:
// the desk's policy refuses inline styles and the body format has none.
const PlainTable = Table.extend({
  renderHTML({ HTMLAttributes }) {
    const attrs = mergeAttributes(this.options.HTMLAttributes, HTMLAttributes);
    delete attrs.style;
    return ["table", attrs, ["tbody", 0]];
  },
});

// tidy turns the editor's HTML into the body format: a lone paragraph in a
// list item or cell is unwrapped (<li>语言学</li>), no style attributes,
// no empty paragraphs at the end (an empty story is "").
function tidy(html) {
  const t = document.createElement("template");
  t.innerHTML = html;
  t.content.querySelectorAll("li, td, th").forEach((n) => {
    const kids = [...n.childNodes].filter((c) => !(c.nodeType === 3 && !c.data.trim()));
    if (kids.length === 1 && kids[0].nodeName === "P" && !kids[0].attributes.length) kids[0].replaceWith(...kids[0].childNodes);
  });
  t.content.querySelectorAll("[style], [colwidth]").forEach((n) => { n.removeAttribute("style"); n.removeAttribute("colwidth"); });
  t.content.querySelectorAll("colgroup").forEach((n) => n.remove());
  // The empty paragraph the editor keeps after a table or figure (so the
  // cursor can get there) is not part of the story.
  while (t.content.lastChild && t.content.lastChild.nodeName === "P" && !t.content.lastChild.childNodes.length) t.content.lastChild.remove();
  return t.innerHTML;
}

// count is the character count an editor means by 字数: every character
// but spaces, a Chinese character counting one (astral ones too).
function count(text) { return Array.from(text.replace(/\s+/g, "")).length; }

// linkOK checks a link address: the web, mail or the site itself.
function linkOK(v) {
  if (/^\/(?!\/)/.test(v)) return true;
  return /^(https?:\/\/|mailto:)/i.test(v) && cleaner.safeURL(v);
}

function el(tag, props, kids) {
  const n = document.createElement(tag);
  Object.assign(n, props || {});
  (kids || []).forEach((k) => n.appendChild(k));
  return n;
}

function start(area) {
  const form = area.form;
  const t = area.dataset;
  const key = "newsdesk-draft:" + location.pathname;

  const wrap = el("div", { className: "editor-wrap" });
  const bar = el("div", { className: "editor-bar" });
  bar.setAttribute("role", "toolbar");
  const mount = el("div", { className: "editor-mount" });
  const foot = el("div", { className: "editor-foot" });
  const counter = el("span", { className: "editor-count" });
  const note = el("p", { className: "hint autosave" });
  note.setAttribute("role", "status");
  foot.append(counter, note);
  area.hidden = true;
  area.parentNode.insertBefore(wrap, area);

  const editor = new Editor({
    element: mount,
    injectCSS: false,
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4] },
        code: false,
        codeBlock: false,
        link: { openOnClick: false, autolink: true, HTMLAttributes: { target: null, rel: null }, isAllowedUri: (u) => linkOK(u) },
      }),
      Video, Figure, Image, PlainTable.configure({ resizable: false }), TableRow, TableHeader, TableCell,
    ],
    content: cleaner.sanitize(area.value),
    editorProps: {
      attributes: { class: "editor body", role: "textbox", "aria-multiline": "true", "aria-labelledby": "body-label", spellcheck: "false" },
      // Everything pasted goes through the same cleaning as the fallback's
      // (Office markup, styles, comments, scripts, handlers, unsafe links).
      transformPastedHTML: (html) => cleaner.clean(html),
      handlePaste: (view, e) => takeFiles(e.clipboardData, null),
      handleDrop: (view, e) => {
        const at = view.posAtCoords({ left: e.clientX, top: e.clientY });
        return takeFiles(e.dataTransfer, at ? at.pos : null);
      },
    },
  });
  const box = editor.view.dom;
  wrap.append(bar, mount, foot);

  // Toolbar: one button per command, each with its label and shortcut.
  const buttons = [];
  function button(label, run, active, can, shortcut) {
    const b = el("button", { type: "button", textContent: label, title: shortcut ? label + " (" + shortcut + ")" : label });
    b.addEventListener("mousedown", (e) => e.preventDefault()); // keep the selection in the text
    b.addEventListener("click", () => { run(); refresh(); });
    buttons.push({ b, active, can });
    bar.appendChild(b);
    return b;
  }
  const c = () => editor.chain().focus();
  button(t.bold, () => c().toggleBold().run(), () => editor.isActive("bold"), null, "Ctrl+B");
  button(t.italic, () => c().toggleItalic().run(), () => editor.isActive("italic"), null, "Ctrl+I");
  button(t.underline, () => c().toggleUnderline().run(), () => editor.isActive("underline"), null, "Ctrl+U");
  button(t.strike, () => c().toggleStrike().run(), () => editor.isActive("strike"), null, "Ctrl+Shift+S");
  button(t.heading, () => c().toggleHeading({ level: 2 }).run(), () => editor.isActive("heading", { level: 2 }), null, "Ctrl+Alt+2");
  button(t.heading3, () => c().toggleHeading({ level: 3 }).run(), () => editor.isActive("heading", { level: 3 }), null, "Ctrl+Alt+3");
  button(t.paragraph, () => c().setParagraph().run(), () => editor.isActive("paragraph"), null, "Ctrl+Alt+0");
  button(t.list, () => c().toggleBulletList().run(), () => editor.isActive("bulletList"), null, "Ctrl+Shift+8");
  button(t.numbered, () => c().toggleOrderedList().run(), () => editor.isActive("orderedList"), null, "Ctrl+Shift+7");
  button(t.quote, () => c().toggleBlockquote().run(), () => editor.isActive("blockquote"), null, "Ctrl+Shift+B");
  const linkBtn = button(t.link, () => openLink(), () => editor.isActive("link"), null, "Ctrl+K");
  linkBtn.className = "editor-link-button";
  button(t.unlink, () => c().unsetLink().run(), null, () => editor.isActive("link"));
  button(t.table, () => c().insertTable({ rows: 3, cols: 3, withHeaderRow: false }).run(), null, () => !editor.isActive("table"));
  button(t.rowAdd, () => c().addRowAfter().run(), null, () => editor.can().addRowAfter());
  button(t.rowDel, () => c().deleteRow().run(), null, () => editor.can().deleteRow());
  button(t.colAdd, () => c().addColumnAfter().run(), null, () => editor.can().addColumnAfter());
  button(t.colDel, () => c().deleteColumn().run(), null, () => editor.can().deleteColumn());
  button(t.tableDel, () => c().deleteTable().run(), null, () => editor.can().deleteTable());
  button(t.hr, () => c().setHorizontalRule().run());
  button(t.photoButton, () => { file.click(); });
  button(t.attachmentButton, () => { attach.click(); });
  if (t.videoButton) button(t.videoButton, () => { videoBox.hidden = false; videoFile.focus(); });
  button(t.undo, () => c().undo().run(), null, () => editor.can().undo(), "Ctrl+Z");
  button(t.redo, () => c().redo().run(), null, () => editor.can().redo(), "Ctrl+Shift+Z");
  button(t.clear, () => c().unsetAllMarks().clearNodes().run(), null, null, "Ctrl+\\");
  const full = button(t.fullscreen, () => toggleFull(), () => wrap.classList.contains("editor-full"), null, "Ctrl+Shift+F");
  full.className = "editor-full-button";
  function refresh() {
    buttons.forEach(({ b, active, can }) => {
      if (active) b.setAttribute("aria-pressed", active() ? "true" : "false");
      if (can) b.disabled = !can();
    });
  }
  editor.on("selectionUpdate", refresh);
  editor.on("transaction", refresh);
  refresh();

  function toggleFull() {
    wrap.classList.toggle("editor-full");
    document.body.classList.toggle("editor-full-page", wrap.classList.contains("editor-full"));
    editor.commands.focus();
  }
  box.addEventListener("keydown", (e) => {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && !e.shiftKey && e.key.toLowerCase() === "k") { e.preventDefault(); openLink(); }
    else if (mod && e.key === "\\") { e.preventDefault(); c().unsetAllMarks().clearNodes().run(); }
    else if (mod && e.shiftKey && e.key.toLowerCase() === "f") { e.preventDefault(); toggleFull(); }
    else if (e.key === "Escape" && wrap.classList.contains("editor-full")) toggleFull();
  });

  // Links: a small bar under the toolbar, the address checked before it
  // goes in (no javascript:, no data:, no address without a scheme).
  const linkBar = el("div", { className: "editor-linkbar", hidden: true });
  const linkInput = el("input", { type: "url", name: "editor-link", placeholder: "https://" });
  linkInput.setAttribute("aria-label", t.linkAddress);
  const linkOk = el("button", { type: "button", textContent: t.ok });
  const linkMsg = el("span", { className: "field-error" });
  linkMsg.setAttribute("role", "alert");
  linkBar.append(linkInput, linkOk, linkMsg);
  bar.after(linkBar);
  function openLink() {
    linkBar.hidden = false;
    linkMsg.textContent = "";
    linkInput.value = editor.getAttributes("link").href || "";
    linkInput.focus();
  }
  function applyLink() {
    const href = linkInput.value.trim();
    if (!href) { c().extendMarkRange("link").unsetLink().run(); linkBar.hidden = true; return; }
    if (!linkOK(href)) { linkMsg.textContent = t.linkBad; return; }
    const chain = c().extendMarkRange("link");
    if (editor.state.selection.empty && !editor.isActive("link")) chain.insertContent({ type: "text", text: href, marks: [{ type: "link", attrs: { href } }] }).run();
    else chain.setLink({ href }).run();
    linkBar.hidden = true;
  }
  linkOk.addEventListener("click", applyLink);
  // Enter here is the link's, never the story form's implicit submit.
  linkInput.addEventListener("keypress", (e) => { if (e.key === "Enter") e.preventDefault(); });
  linkInput.addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); applyLink(); }
    if (e.key === "Escape") { linkBar.hidden = true; editor.commands.focus(); }
  });

  // Photos: the panel uploads the file (checked by content on the server,
  // alt text required) and inserts the figure it answers after the block
  // holding the cursor. A photo dropped or pasted into the text fills the
  // panel and waits for its alt text, to go in where it was dropped.
  const panel = el("div", { className: "editor-photo" });
  function field(name, label, type) {
    const i = el("input", { name: "photo-" + name, type: type || "text" });
    panel.appendChild(el("label", { textContent: label }, [i]));
    return i;
  }
  const file = field("file", t.photo, "file"), caption = field("caption", t.caption), alt = field("alt", t.alt), credit = field("credit", t.credit);
  file.accept = "image/jpeg,image/png,image/gif,image/webp,image/heic,.heic";
  const insert = el("button", { type: "button", textContent: t.insert });
  const status = el("span");
  status.setAttribute("role", "status");
  panel.append(insert, status);
  wrap.after(panel);
  let dropAt = null;
  function takeFiles(dt, pos) {
    const files = dt ? [...dt.files].filter((f) => /^image\//.test(f.type)) : [];
    if (!files.length) return false;
    const d = new DataTransfer();
    d.items.add(files[0]);
    file.files = d.files;
    if (pos != null) {
      dropAt = pos;
      editor.commands.setTextSelection(pos);
    }
    status.textContent = t.dropAlt;
    (alt.value ? insert : alt).focus();
    return true;
  }
  function csrf() { return form.querySelector("input[name=csrf]").value; }
  insert.addEventListener("click", () => {
    const fd = new FormData();
    fd.append("csrf", csrf());
    if (file.files[0]) fd.append("file", file.files[0]);
    fd.append("caption", caption.value); fd.append("alt", alt.value); fd.append("credit", credit.value);
    status.textContent = t.uploading;
    fetch("/desk/media", { method: "POST", body: fd, credentials: "same-origin" })
      .then((r) => r.json())
      .then((j) => {
        if (j.error) { status.textContent = j.error; return; }
        insertBlock(j.html, t.inserted);
        file.value = caption.value = alt.value = credit.value = "";
      })
      .catch(() => { status.textContent = t.failed; });
  });
  // A figure (or attachment link) is a block of its own: it goes after the
  // top-level block holding the cursor, never inside it.
  function insertBlock(html, done) {
    const { $from } = editor.state.selection;
    const pos = $from.depth > 0 ? $from.after(1) : $from.pos;
    editor.chain().insertContentAt(pos, cleaner.sanitize(html)).run();
    dropAt = null;
    status.textContent = done;
  }

  // Attachments (PDF, Office) go in the same way, as a download link.
  const attach = el("input", { type: "file", name: "editor-attachment", accept: ".pdf,.docx,.xlsx,.pptx", hidden: true });
  panel.appendChild(attach);
  attach.addEventListener("change", () => {
    if (!attach.files[0]) return;
    const fd = new FormData();
    fd.append("csrf", csrf());
    fd.append("file", attach.files[0]);
    status.textContent = t.uploading;
    fetch("/desk/attachments", { method: "POST", body: fd, credentials: "same-origin" })
      .then((r) => r.json())
      .then((j) => {
        if (j.error) { status.textContent = j.error; return; }
        insertBlock(j.html, t.attached);
        attach.value = "";
      })
      .catch(() => { status.textContent = t.failed; });
  });

  // Videos: an MP4 (checked by its content on the server) with its poster
  // image and a caption; the figure answered goes in as a photo does.
  const videoBox = el("div", { className: "editor-video", hidden: true });
  function vfield(name, label, type) {
    const i = el("input", { name: "video-" + name, type: type || "text" });
    videoBox.appendChild(el("label", { textContent: label }, [i]));
    return i;
  }
  const videoFile = vfield("file", t.videoFile || "MP4", "file"), posterFile = vfield("poster", t.poster || "", "file"), videoCaption = vfield("caption", t.caption);
  videoFile.accept = "video/mp4,.mp4";
  posterFile.accept = "image/jpeg,image/png,image/webp";
  const videoInsert = el("button", { type: "button", textContent: t.insert, className: "editor-video-insert" });
  const videoStatus = el("span", { className: "field-error" });
  videoStatus.setAttribute("role", "alert");
  videoBox.append(videoInsert, videoStatus);
  panel.before(videoBox);
  videoInsert.addEventListener("click", () => {
    const fd = new FormData();
    fd.append("csrf", csrf());
    if (videoFile.files[0]) fd.append("file", videoFile.files[0]);
    if (posterFile.files[0]) fd.append("poster", posterFile.files[0]);
    fd.append("caption", videoCaption.value);
    videoStatus.textContent = t.uploading;
    fetch("/desk/videos", { method: "POST", body: fd, credentials: "same-origin" })
      .then((r) => r.json())
      .then((j) => {
        if (j.error) { videoStatus.textContent = j.error; return; }
        insertBlock(j.html, t.inserted);
        videoStatus.textContent = "";
        videoFile.value = posterFile.value = videoCaption.value = "";
        videoBox.hidden = true;
      })
      .catch(() => { videoStatus.textContent = t.failed; });
  });

  // Photos already in the library (图库) go in the same way; their caption,
  // alt text and credit are the library's.
  const q = el("input", { type: "search", placeholder: t.library });
  q.setAttribute("aria-label", t.library);
  const find = el("button", { type: "button", textContent: t.library });
  const found = el("div", { className: "picks" });
  panel.appendChild(el("div", { className: "editor-library" }, [q, find, found]));
  find.addEventListener("click", () => {
    fetch("/desk/library/pick?q=" + encodeURIComponent(q.value), { credentials: "same-origin" })
      .then((r) => r.json())
      .then((list) => {
        found.textContent = list.length ? "" : t.libraryNone;
        list.forEach((m) => {
          const img = el("img", { src: m.Thumb, alt: m.Alt, width: 96, height: 64 });
          const b = el("button", { type: "button", title: m.Caption || m.Alt }, [img]);
          b.addEventListener("click", () => insertBlock(m.html, t.inserted));
          found.appendChild(b);
        });
      })
      .catch(() => { status.textContent = t.failed; });
  });

  // The textarea always holds the body the form posts; the browser keeps a
  // copy against a crash. A composition (拼音 candidates) in progress is
  // never touched: the copy and the autosave wait for it to end.
  let saved = tidy(editor.getHTML());
  let savedAt = null;
  function sync() {
    area.value = tidy(editor.getHTML());
    counter.textContent = t.count + count(editor.getText());
    if (area.value !== saved) {
      try { localStorage.setItem(key, area.value); } catch (e) { /* private mode: no copy */ }
      say(t.dirty);
    }
  }
  editor.on("update", () => { if (!editor.view.composing) sync(); });
  box.addEventListener("compositionend", () => setTimeout(sync, 0));
  counter.textContent = t.count + count(editor.getText());

  let submitting = false;
  form.addEventListener("submit", () => {
    submitting = true;
    area.value = tidy(editor.getHTML());
    try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
  });
  window.addEventListener("beforeunload", (e) => {
    if (submitting || tidy(editor.getHTML()) === saved) return;
    e.preventDefault();
    e.returnValue = "";
  });

  // Autosave to the server every 30 s while the text changes (stories that
  // exist already; a new one is saved by its first save). The answer is the
  // page after saving, which carries the new version; a conflict stops it.
  // Nothing here touches the text: the editor's DOM is never re-rendered.
  let inflight = false, queued = false;
  form.addEventListener("autosave", function again() {
    if (editor.view.composing) { box.addEventListener("compositionend", () => setTimeout(again, 0), { once: true }); return; }
    if (inflight) { queued = true; return; } // once this one is done
    const html = tidy(editor.getHTML());
    if (html === saved || !t.autosaved || !/\/desk\/articles\/\d+$/.test(form.action)) return;
    inflight = true;
    area.value = html;
    say(t.saving);
    const params = new URLSearchParams();
    new FormData(form).forEach((value, name) => { if (typeof value === "string") params.append(name, value); });
    fetch(form.action, { method: "POST", body: params, credentials: "same-origin" })
      .then((r) => r.text().then((text) => ({ ok: r.ok, text })))
      .then((res) => {
        const doc = new DOMParser().parseFromString(res.text, "text/html");
        const v = doc.querySelector("form.card input[name=version]");
        if (res.ok && v) {
          // Every form of the page (actions, slots, uploads) now acts on
          // the version just saved.
          document.querySelectorAll("input[name=version]").forEach((i) => { i.value = v.value; });
          saved = html;
          savedAt = new Date();
          const hm = String(savedAt.getHours()).padStart(2, "0") + ":" + String(savedAt.getMinutes()).padStart(2, "0");
          say(tidy(editor.getHTML()) === saved ? t.savedAt.replace("%s", hm) : t.dirty);
          try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ }
        } else {
          const err = doc.querySelector(".error-box");
          say(err ? err.textContent : t.failed);
        }
      })
      .catch(() => say(t.failed))
      .finally(() => {
        inflight = false;
        if (queued) { queued = false; again(); }
      });
  });
  setInterval(() => form.dispatchEvent(new Event("autosave")), 30000);
  function say(text) { if (note.textContent !== text) note.textContent = text; }

  let kept = null;
  try { kept = localStorage.getItem(key); } catch (e) { /* no storage */ }
  if (kept && kept !== area.value && kept !== saved) {
    const restore = el("button", { type: "button", textContent: t.restore });
    const offer = el("p", { className: "flash", textContent: t.unsaved + " " }, [restore]);
    restore.addEventListener("click", () => { editor.commands.setContent(cleaner.sanitize(kept), { emitUpdate: true }); sync(); offer.remove(); });
    wrap.before(offer);
  }
  area.dataset.readyMs = String(Math.round(performance.now())); // time to interactive, read by the tests
  area.dataset.ready = "true";
  window.newsdeskEditor = editor;
}

if (area && cleaner) start(area);
