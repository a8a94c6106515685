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

  // htmx swaps nothing for an error response: say what happened where the preview goes.
  function showProblem(message) {
    var preview = document.getElementById("preview");
    if (!preview) {
      return;
    }
    var note = document.createElement("p");
    note.className = "errornote";
    note.setAttribute("role", "alert");
    note.textContent = message;
    preview.replaceChildren(note);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 413) {
      showProblem(
        "The server could not read this form (" + status + "), and nothing was imported. " +
          "A long pasted text may be more than a form may send at once: upload it as a file instead."
      );
    } else if (status === 403) {
      showProblem(
        "The server refused this form (403), and nothing was imported: your session may have " +
          "expired (reload the page and sign in again), or you may not import statements."
      );
    } else {
      showProblem(
        "The server could not read these texts (" + status + "), and nothing was imported. " +
          "Try again in a moment, or import them with the import_statements command."
      );
    }
  });

  document.addEventListener("htmx:sendError", function () {
    showProblem("The server could not be reached. Nothing was sent; try again in a moment.");
  });

  // Back from the results page (bfcache): the selects must be usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("select.import-kind:disabled").forEach(function (select) {
      select.disabled = false;
    });
  });
})();
