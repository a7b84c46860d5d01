// Keeps the visit form as a draft in this phone's storage while it is filled in, so a dropped
// connection loses nothing: the draft comes back when the page opens again, with the same
// form key, so sending it twice logs the visit once. Without this script the form still posts.
(function () {
  "use strict";
  var form = document.getElementById("visit-form");
  if (!form || !window.localStorage) { return; }
  var KEY = "motcua.visit-draft";
  var saved = form.getAttribute("data-saved");
  function read() {
    try { return JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }
  var draft = read();
  if (saved && draft && draft.key === saved) {
    localStorage.removeItem(KEY);  // the server has it
    draft = null;
  }
  if (draft && draft.fields) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || !(el.name in draft.fields)) { return; }
      var value = draft.fields[el.name];
      if (el.type === "checkbox") { el.checked = value.indexOf(el.value) !== -1; }
      else if (el.type !== "submit") { el.value = value[0]; }
    });
    var note = document.getElementById("visit-draft-note");
    if (note) { note.hidden = false; }
  }
  function save() {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit") { return; }
      fields[el.name] = fields[el.name] || [];
      if (el.type !== "checkbox" || el.checked) { fields[el.name].push(el.value); }
    });
    try {
      localStorage.setItem(KEY, JSON.stringify({ key: form.elements.key.value, fields: fields }));
    } catch (e) { /* storage full or refused: the form still posts */ }
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", save);
})();
