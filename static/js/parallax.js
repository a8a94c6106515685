// Parallax: small progressive enhancements. Every page works without this file.
"use strict";

document.documentElement.classList.add("js");

function clearHighlights() {
  for (const el of document.querySelectorAll(".is-highlighted")) {
    el.classList.remove("is-highlighted");
  }
}

function highlight(ids, scrollTo) {
  clearHighlights();
  const found = ids.map((id) => document.getElementById(id)).filter(Boolean);
  for (const el of found) el.classList.add("is-highlighted");
  const target = scrollTo ? document.getElementById(scrollTo) : found[0];
  if (target) target.scrollIntoView({ block: "center" });
  return found.length > 0;
}

// #pair-l3-r5: highlight that pair, whether it shares a row or not; #l3 / #r5: that paragraph.
function followHash() {
  const hash = decodeURIComponent(window.location.hash.slice(1));
  // A link to a folded paragraph (boilerplate, in <details>) opens it.
  const folded = hash && document.getElementById(hash);
  if (folded && folded.tagName === "DETAILS") folded.open = true;
  const pair = /^pair-l(\d+)-r(\d+)$/.exec(hash);
  if (pair) {
    const row = document.getElementById(hash);
    if (row) {
      clearHighlights();
      row.classList.add("is-highlighted");
      row.scrollIntoView({ block: "center" });
    } else {
      highlight([`l${pair[1]}`, `r${pair[2]}`], `l${pair[1]}`);
    }
  } else if (/^[lr]\d+$/.test(hash)) {
    highlight([hash]);
  }
}

document.addEventListener("click", (event) => {
  const partner = event.target.closest("a.partner");
  if (partner) {
    event.preventDefault();
    const cell = partner.closest(".cell");
    const target = partner.dataset.target;
    highlight([cell.id, target], target);
    history.replaceState(null, "", `#${target}`);
    return;
  }
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

function copyLink(button) {
  const url = new URL(window.location.href);
  url.hash = button.dataset.anchor;
  const done = () => {
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = "Copy link"; }, 1500);
  };
  const fallback = () => {
    // No clipboard access: show the link, selected, so it can be copied by hand.
    let input = button.parentElement.querySelector("input.copy-fallback");
    if (!input) {
      input = document.createElement("input");
      input.type = "text";
      input.readOnly = true;
      input.className = "copy-fallback";
      input.setAttribute("aria-label", "Link to this pair");
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
