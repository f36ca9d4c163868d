// Passkeys (WebAuthn) on the desk: adding one on the two-step page
// (#passkey-add) and answering the sign-in's second step
// (#passkey-login). The server sends the options as JSON with binary
// values in base64url, and takes the browser's answer the same way, in a
// hidden field of an ordinary form post; everything else is checked
// there. Without this file (or without WebAuthn in the browser) the forms
// stay hidden and say why.
(function () {
  "use strict";
  var add = document.getElementById("passkey-add");
  var login = document.getElementById("passkey-login");
  if (!add && !login) return;

  function show(selector) {
    var el = document.querySelector(selector);
    if (el) el.hidden = false;
  }
  if (!window.PublicKeyCredential || !navigator.credentials) {
    show("[data-passkey-unsupported]");
    if (login) login.hidden = true;
    return;
  }

  function fromB64(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }
  function toB64(buf) {
    var bytes = new Uint8Array(buf), s = "";
    for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
    return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function ids(list) {
    (list || []).forEach(function (c) { c.id = fromB64(c.id); });
  }
  // answer is the credential as the server's WebAuthn library reads it.
  function answer(cred) {
    var r = cred.response, out = {
      id: cred.id, rawId: toB64(cred.rawId), type: cred.type,
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      response: { clientDataJSON: toB64(r.clientDataJSON) }
    };
    if (r.attestationObject) {
      out.response.attestationObject = toB64(r.attestationObject);
      if (r.getTransports) out.response.transports = r.getTransports();
    } else {
      out.response.authenticatorData = toB64(r.authenticatorData);
      out.response.signature = toB64(r.signature);
      if (r.userHandle) out.response.userHandle = toB64(r.userHandle);
    }
    return JSON.stringify(out);
  }
  // run intercepts a form's submit: ceremony(form) yields the credential,
  // which goes into the form's "response" field before it is posted.
  function run(form, ceremony) {
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      document.querySelector("[data-passkey-cancelled]").hidden = true;
      button.disabled = true;
      ceremony(form).then(function (cred) {
        form.elements.response.value = answer(cred);
        form.submit();
      }).catch(function () {
        show("[data-passkey-cancelled]");
        button.disabled = false;
      });
    });
  }

  if (add) {
    add.hidden = false;
    run(add, function (form) {
      var body = new URLSearchParams({ csrf: form.elements.csrf.value });
      return fetch(form.dataset.begin, { method: "POST", body: body, credentials: "same-origin" }).then(function (res) {
        if (!res.ok) throw new Error("passkey options: " + res.status);
        return res.json();
      }).then(function (begin) {
        var pk = begin.options.publicKey;
        pk.challenge = fromB64(pk.challenge);
        pk.user.id = fromB64(pk.user.id);
        ids(pk.excludeCredentials);
        form.elements.token.value = begin.token;
        return navigator.credentials.create({ publicKey: pk });
      });
    });
  }
  if (login) {
    run(login, function (form) {
      var pk = JSON.parse(form.dataset.options).publicKey;
      pk.challenge = fromB64(pk.challenge);
      ids(pk.allowCredentials);
      return navigator.credentials.get({ publicKey: pk });
    });
  }
})();
