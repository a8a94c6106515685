// The admin's import preview: mark the paragraph kinds staff changed, and send only those.
// Unchanged kinds are left out of the confirmation (the server keeps the parsed kind for a
// paragraph it gets no kind for), so a long batch stays under Django's field limit.
(function () {
  "use strict";

  function isKind(element) {
    return element instanceof HTMLSelectElement && element.classList.contains("import-kind");
  }

  document.addEventListener("change", function (event) {
    if (isKind(event.target)) {
      event.target.classList.toggle("is-changed", event.target.value !== event.target.dataset.parsed);
    }
  });

  document.addEventListener("submit", function (event) {
    if (event.target.id !== "import-confirm") {
      return;
    }
    event.target.querySelectorAll("select.import-kind").forEach(function (select) {
      select.disabled = select.value === select.dataset.parsed;
    });
  });

  // Back from the results page (bfcache): the selects must be usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("select.import-kind:disabled").forEach(function (select) {
      select.disabled = false;
    });
  });
})();
