// The reply page's print button. A file, not an onclick attribute: the Content-Security-Policy runs scripts from the site only.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
