/* Outcome drafts: the "Copy text" button copies the summary (without JavaScript, select the text). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    var status = document.querySelector(".copy-status");
    if (!source) return;
    function said(text) { if (status) status.textContent = text; }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.value).then(function () { said("Copied."); },
        function () { source.select(); said("Select and copy the text."); });
    } else {
      source.select();
      said(document.execCommand && document.execCommand("copy") ? "Copied." : "Select and copy the text.");
    }
  });
})();
