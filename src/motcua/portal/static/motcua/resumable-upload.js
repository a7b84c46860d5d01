/* Sends a chosen file in 256 KiB pieces (tus 1.0) so that a dropped 3G connection resumes
   where it stopped, even after the page is reloaded. Without this script (or if it fails)
   the form posts the whole file as usual. */
(function () {
  "use strict";
  if (!window.fetch || !window.Blob || !window.localStorage || !window.Promise) { return; }
  var CHUNK = 256 * 1024;

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  function headers(extra) {
    var h = {"Tus-Resumable": "1.0.0", "X-CSRFToken": csrf()};
    Object.keys(extra).forEach(function (k) { h[k] = extra[k]; });
    return h;
  }
  function remembered(file) {
    return "motcua-upload:" + [file.name, file.size, file.lastModified].join(":");
  }
  function base64(text) { return btoa(unescape(encodeURIComponent(text))); }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function digest(buffer) {
    if (!(window.crypto && crypto.subtle)) { return Promise.resolve(null); }
    return crypto.subtle.digest("SHA-256", buffer).then(function (d) {
      return btoa(String.fromCharCode.apply(null, new Uint8Array(d)));
    });
  }
  function offsetOf(url) {
    return fetch(url, {method: "HEAD", credentials: "same-origin", headers: headers({})})
      .then(function (r) { return r.status === 200 ? parseInt(r.headers.get("Upload-Offset"), 10) : null; })
      .catch(function () { return null; });
  }
  function create(file) {
    return fetch("/api/v1/uploads", {method: "POST", credentials: "same-origin", headers: headers({
      "Upload-Length": String(file.size), "Upload-Metadata": "filename " + base64(file.name)})})
      .then(function (r) {
        if (r.status !== 201) { throw new Error("create " + r.status); }
        return r.headers.get("Location");
      });
  }

  async function send(file, status) {
    var key = remembered(file), url = localStorage.getItem(key), offset = null, failures = 0;
    if (url) { offset = await offsetOf(url); }
    if (offset === null) { url = await create(file); localStorage.setItem(key, url); offset = 0; }
    while (offset < file.size) {
      var piece = await file.slice(offset, offset + CHUNK).arrayBuffer();
      var h = {"Content-Type": "application/offset+octet-stream", "Upload-Offset": String(offset)};
      var sum = await digest(piece);
      if (sum) { h["Upload-Checksum"] = "sha256 " + sum; }
      try {
        var r = await fetch(url, {method: "PATCH", credentials: "same-origin", headers: headers(h), body: piece});
        if (r.status === 204) {
          offset = parseInt(r.headers.get("Upload-Offset"), 10);
          failures = 0;
        } else if (r.status === 409 || r.status === 460) {
          offset = await offsetOf(url);
          if (offset === null) { throw new Error("lost"); }
        } else {
          throw new Error("piece " + r.status);
        }
      } catch (e) {
        failures += 1;
        if (failures > 8) { throw e; }
        status.textContent = status.getAttribute("data-retry");
        await sleep(Math.min(30000, 1000 * Math.pow(2, failures)));
        var again = await offsetOf(url);
        if (again !== null) { offset = again; }
      }
      status.textContent = Math.floor(100 * offset / file.size) + "%";
    }
    localStorage.removeItem(key);
    return url.split("/").pop();
  }

  Array.prototype.forEach.call(document.querySelectorAll("form.upload"), function (form) {
    var input = form.querySelector("input[type=file]");
    var status = document.createElement("span");
    status.className = "upload-status";
    status.setAttribute("role", "status");
    status.setAttribute("data-retry", form.getAttribute("data-retry") || "…");
    form.appendChild(status);
    form.addEventListener("submit", function (event) {
      if (!input || !input.files.length || form.getAttribute("data-sending")) { return; }
      event.preventDefault();
      form.setAttribute("data-sending", "1");
      send(input.files[0], status).then(function (id) {
        var hidden = document.createElement("input");
        hidden.type = "hidden"; hidden.name = "upload"; hidden.value = id;
        form.appendChild(hidden);
        input.disabled = true;  /* the file went in pieces: do not send it again */
        form.submit();
      }).catch(function () { form.submit(); });
    });
  });
}());
