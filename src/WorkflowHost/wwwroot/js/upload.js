// File fields of the forms: each chosen file is uploaded at once (POST /api/attachments, the file as the body) with a
// progress bar, then listed with its size and type and carried by a hidden input holding its attachment id, which the
// form posts. A file, not inline script: the Content-Security-Policy runs scripts from the site only.
(function () {
  "use strict";

  function size(bytes) {
    if (bytes < 1024) { return bytes + " B"; }
    if (bytes < 1024 * 1024) { return (bytes / 1024).toFixed(1) + " KB"; }
    return (bytes / (1024 * 1024)).toFixed(1) + " MB";
  }

  function token(form) {
    var input = form && form.querySelector("input[name=__RequestVerificationToken]");
    return input ? input.value : "";
  }

  function listItem(list, text) {
    var item = document.createElement("li");
    item.textContent = text;
    list.appendChild(item);
    return item;
  }

  function upload(field, file) {
    var progress = field.querySelector("progress");
    var list = field.querySelector("[data-file-list]");
    var item = listItem(list, file.name + " · " + field.getAttribute("data-uploading"));
    var request = new XMLHttpRequest();
    request.open("POST", "/api/attachments?name=" + encodeURIComponent(file.name));
    request.setRequestHeader("X-CSRF-TOKEN", token(field.closest("form")));
    request.setRequestHeader("Content-Type", "application/octet-stream");
    progress.hidden = false;
    progress.value = 0;
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { progress.value = Math.round(100 * e.loaded / e.total); }
    });
    request.addEventListener("load", function () {
      progress.hidden = true;
      var answer = null;
      try { answer = JSON.parse(request.responseText); } catch (ignored) { answer = null; }
      if (request.status !== 201 || !answer) {
        item.textContent = file.name + " · " + field.getAttribute("data-failed") + (answer && answer.detail ? answer.detail : request.status);
        item.setAttribute("data-test", "upload-error");
        return;
      }
      item.textContent = answer.name + " · " + answer.kind.toUpperCase() + " · " + size(answer.size) + " ";
      item.setAttribute("data-test", "uploaded-file");
      var hidden = document.createElement("input");
      hidden.type = "hidden";
      hidden.name = field.getAttribute("data-name");
      hidden.value = answer.id;
      item.appendChild(hidden);
      var remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = field.getAttribute("data-remove");
      remove.addEventListener("click", function () { item.remove(); });
      item.appendChild(remove);
    });
    request.addEventListener("error", function () {
      progress.hidden = true;
      item.textContent = file.name + " · " + field.getAttribute("data-failed");
    });
    request.send(file);
  }

  document.querySelectorAll("[data-upload]").forEach(function (field) {
    var input = field.querySelector("input[type=file]");
    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files, function (file) { upload(field, file); });
      input.value = "";
    });
  });
}());
