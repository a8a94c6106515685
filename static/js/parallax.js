// Parallax: small progressive enhancements. Every page works without this file.
"use strict";

document.documentElement.classList.add("js");

// A link to a folded paragraph (boilerplate, in <details>) opens it. The compare page's own
// anchors (#l3, #pair-l3-r5) are followed by compare.js.
function followHash() {
  const hash = decodeURIComponent(window.location.hash.slice(1));
  const folded = hash && document.getElementById(hash);
  if (folded && folded.tagName === "DETAILS") folded.open = true;
}

document.addEventListener("click", (event) => {
  // Buttons in the term lists, and the bars of the terms chart (SVG links, role=button).
  const toggle = event.target.closest(".term-toggle");
  if (toggle) {
    event.preventDefault();
    const on = toggle.getAttribute("aria-pressed") !== "true";
    setTermActive(toggle.dataset.term, on);
    return;
  }
  const copy = event.target.closest("button.copy-link");
  if (copy) copyLink(copy);
});

// The chart's term bars are SVG links acting as buttons: Space presses them too.
document.addEventListener("keydown", (event) => {
  if (event.key !== " ") return;
  const bar = event.target.closest && event.target.closest("a.term-toggle");
  if (!bar) return;
  event.preventDefault();
  bar.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
});

const activeTerms = new Set();

function setTermActive(term, on) {
  if (on) activeTerms.add(term);
  else activeTerms.delete(term);
  for (const button of document.querySelectorAll(".term-toggle")) {
    if (button.dataset.term === term) button.setAttribute("aria-pressed", String(on));
  }
  for (const span of document.querySelectorAll("span.term")) {
    if (span.dataset.term === term) span.classList.toggle("is-active", on);
  }
}

// The button's visible words are in .copy-label; words only a screen reader hears ("to ¶3")
// stay after it, so its name always begins with what it shows.
function copyLink(button) {
  const url = new URL(button.dataset.url || window.location.href, window.location.href);
  if (!button.dataset.url) url.hash = button.dataset.anchor;
  const label = button.querySelector(".copy-label") || button;
  const words = label.textContent;
  const done = () => {
    label.textContent = "Copied";
    setTimeout(() => { label.textContent = words; }, 1500);
  };
  const fallback = () => {
    // No clipboard access: show the link, selected, so it can be copied by hand.
    let input = button.parentElement.querySelector("input.copy-fallback");
    if (!input) {
      input = document.createElement("input");
      input.type = "text";
      input.readOnly = true;
      input.className = "copy-fallback";
      input.setAttribute("aria-label", "Link to copy");
      button.after(input);
    }
    input.value = url.toString();
    input.focus();
    input.select();
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(url.toString()).then(done, fallback);
  } else {
    fallback();
  }
}

// Focus stays where the reader was after an htmx swap: htmx itself puts it back on an
// element with the same id; when the new content has none, focus goes to the swapped
// region's heading or first control rather than falling to <body>.
let focusedBeforeSwap = null;
document.addEventListener("htmx:beforeSwap", () => {
  focusedBeforeSwap = document.activeElement;
});
document.addEventListener("htmx:afterSettle", (event) => {
  const was = focusedBeforeSwap;
  focusedBeforeSwap = null;
  if (!was || was === document.body || was.isConnected) return;
  if (document.activeElement && document.activeElement !== document.body) return;
  const target = event.detail.target;
  const region = target && (target.isConnected ? target : document.getElementById(target.id));
  if (!region) return;
  const place = region.querySelector(
    "[tabindex='-1'], h2, h3, a[href], button:not([disabled]), input:not([type=hidden]), select, textarea",
  );
  const focusable = place || region;
  if (!focusable.hasAttribute("tabindex") && !focusable.matches("a[href], button, input, select, textarea")) {
    focusable.setAttribute("tabindex", "-1");
  }
  focusable.focus({ preventScroll: true });
});

document.addEventListener("htmx:afterSwap", () => {
  for (const term of activeTerms) setTermActive(term, true);
});
window.addEventListener("hashchange", followHash);
document.addEventListener("DOMContentLoaded", followHash);

// A statement shown a page of paragraphs at a time: an old link to #p1234 without its
// ?page= goes to the page that holds paragraph 1234.
function followParagraphToItsPage() {
  const pages = document.querySelector("[data-paragraph-pages]");
  const wanted = /^#p(\d+)$/.exec(window.location.hash);
  if (!pages || !wanted || document.getElementById(wanted[0].slice(1))) return;
  const page = Math.floor((Number(wanted[1]) - 1) / Number(pages.dataset.paragraphPages)) + 1;
  if (String(page) !== pages.dataset.paragraphPage) {
    window.location.replace(`?page=${page}${wanted[0]}`);
  }
}
document.addEventListener("DOMContentLoaded", followParagraphToItsPage);
