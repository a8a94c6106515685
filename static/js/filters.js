// Filters fold away behind their "Filters" toggle on a phone, where they would push the
// results below the fold, and stay open on a wider screen. Without this file they are open.
"use strict";

(function () {
  const narrow = window.matchMedia("(max-width: 48rem)");
  function fit() {
    for (const toggle of document.querySelectorAll("details[data-fold-on-phone]")) {
      toggle.open = !narrow.matches;
    }
  }
  fit();
  narrow.addEventListener("change", fit);
})();
