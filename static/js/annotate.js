// Parallax annotations: select words in a paragraph to annotate them, and keep the marks
// of noted passages in step after htmx swaps. Without this file every note can still be
// written (the Annotate link opens a form page) and every passage is marked by the server.
"use strict";

// Offsets are in code points, as Python counts them, not in UTF-16 units as JS does.
function codePoints(text) {
  return Array.from(text).length;
}

function offsetIn(root, node, offset) {
  const range = document.createRange();
  range.selectNodeContents(root);
  range.setEnd(node, offset);
  return codePoints(range.toString());
}

function paragraphTextOf(node) {
  const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
  return element ? element.closest("[data-paragraph-id][data-paragraph-text]") : null;
}

function removeSelectionButtons() {
  for (const button of document.querySelectorAll("button.annotate-selection")) button.remove();
}

// A selection inside one paragraph's text: offer to annotate it, in that paragraph's notes bar.
function offerSelection() {
  const selection = window.getSelection();
  removeSelectionButtons();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
  const range = selection.getRangeAt(0);
  const root = paragraphTextOf(range.startContainer);
  if (!root || paragraphTextOf(range.endContainer) !== root) return;
  const region = document.getElementById(`notes-${root.dataset.paragraphId}`);
  if (!region || !region.dataset.newUrl) return; // signed out: the link says "Sign in"
  const start = offsetIn(root, range.startContainer, range.startOffset);
  const end = offsetIn(root, range.endContainer, range.endOffset);
  const exact = Array.from(root.textContent).slice(start, end).join("");
  if (!exact.trim()) return;
  const params = new URLSearchParams({ start: String(start), end: String(end), exact });
  const button = document.createElement("button");
  button.type = "button";
  button.className = "annotate-selection small";
  button.textContent = "Annotate selection";
  button.dataset.url = `${region.dataset.newUrl}&${params}`;
  button.dataset.target = `#${region.id}-form`;
  region.querySelector(".notes-bar").append(button);
}

document.addEventListener("mouseup", (event) => {
  if (event.target.closest && event.target.closest("button.annotate-selection")) return;
  // The selection is final only once the mouseup has been handled.
  setTimeout(offerSelection, 0);
});
document.addEventListener("keyup", (event) => {
  if (event.shiftKey || event.key === "Shift") offerSelection();
});

document.addEventListener("click", (event) => {
  const button = event.target.closest("button.annotate-selection");
  if (!button || !window.htmx) return;
  window.htmx.ajax("GET", button.dataset.url, { target: button.dataset.target, swap: "innerHTML" });
  button.remove();
});

// Mark [start, end) code-point spans of `root`'s text with <mark class="note">, across any
// elements (quotes, terms) already inside it; earlier note marks are removed first.
function markSpans(root, spans) {
  for (const mark of root.querySelectorAll("mark.note")) mark.replaceWith(...mark.childNodes);
  root.normalize();
  const text = root.textContent;
  const units = (points) => Array.from(text).slice(0, points).join("").length;
  for (const [startPoint, endPoint] of spans) {
    const start = units(startPoint);
    const end = units(endPoint);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const pieces = [];
    let offset = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const from = Math.max(start, offset);
      const to = Math.min(end, offset + node.length);
      if (from < to) pieces.push([node, from - offset, to - offset]);
      offset += node.length;
    }
    for (const [node, from, to] of pieces) {
      const inside = node.splitText(from);
      inside.splitText(to - from);
      const mark = document.createElement("mark");
      mark.className = "note";
      inside.replaceWith(mark);
      mark.append(inside);
    }
  }
}

document.addEventListener("htmx:load", (event) => {
  const region = event.detail.elt;
  if (!region.matches || !region.matches(".notes[data-paragraph][data-note-spans]")) return;
  const root = document.querySelector(
    `[data-paragraph-id="${region.dataset.paragraph}"][data-paragraph-text]`,
  );
  if (root) markSpans(root, JSON.parse(region.dataset.noteSpans));
});
