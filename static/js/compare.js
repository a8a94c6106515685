// Parallax compare view: the links drawn as connectors between the two columns, selection
// (click, keys, #pair-l3-r5), the link panel, scrolling the texts together, and the overview
// strips. Without this file every paragraph lists its partners as links to the pair's card
// (and from there to its own page), curation is plain form posts, and everything works.
"use strict";

(() => {
  const SVG = "http://www.w3.org/2000/svg";
  const ICONS = { quotes: "“”", restates: "=", reframes: "≈", contradicts: "≠", context: "§", translates: "⇄" };
  const SIDES = ["l", "r"];
  const OTHER = { l: "r", r: "l" };
  const wide = window.matchMedia("(min-width: 48.01rem)");
  // Icons on the connectors only while few are drawn: many would hide one another.
  const MAX_ICONS = 40;

  const model = {
    links: [], // {l, r, rel, state}, by (l, r): read from the left column's partner chips
    cells: { l: new Map(), r: new Map() }, // position -> {top, height, fate}
    anchors: { l: [], r: [] }, // for scrolling together: {from, to} by `from`
  };
  const state = { selected: null, current: -1, opener: null, frame: 0 };
  let resizeObserver = null;

  const $ = (id) => document.getElementById(id);
  const pane = (side) => $(`pane-${side}`);
  const cell = (side, position) => $(`${side}${position}`);
  const sideName = (side) => (pane(side)?.getAttribute("aria-label") || "").split(":")[0];
  const panesScroll = () => wide.matches && Boolean($("reader"));

  function readLinks() {
    model.links = Array.from(document.querySelectorAll("#pane-l a.partner")).map((chip) => ({
      l: Number(chip.dataset.l),
      r: Number(chip.dataset.r),
      rel: chip.dataset.rel,
      state: chip.dataset.state,
    }));
  }

  function linkIndex(l, r) {
    return model.links.findIndex((link) => link.l === l && link.r === r);
  }

  function pairUrl(l, r) {
    const columns = $("columns");
    return `${columns.dataset.pairsUrl}${l}-${r}/${columns.dataset.pairQuery || ""}`;
  }

  // --- Geometry ---------------------------------------------------------------------------

  function measure() {
    for (const side of SIDES) {
      const cells = new Map();
      const column = pane(side);
      if (!column) continue;
      for (const element of column.children) {
        if (!element.classList.contains("cell")) continue;
        const meta = element.querySelector(".cell-meta");
        cells.set(Number(element.dataset.pos), {
          top: element.offsetTop,
          height: element.offsetHeight,
          fate: meta ? meta.dataset.fate : "",
        });
      }
      model.cells[side] = cells;
    }
    for (const side of SIDES) {
      const other = OTHER[side];
      const seen = new Set();
      const anchors = [];
      for (const link of model.links) {
        if (link.state === "rejected") continue;
        const here = model.cells[side].get(link[side]);
        const there = model.cells[other].get(link[other]);
        if (!here || !there || seen.has(link[side])) continue;
        seen.add(link[side]);
        anchors.push({ from: here.top, to: there.top });
      }
      model.anchors[side] = anchors.sort((a, b) => a.from - b.from);
    }
    drawStrips();
    draw();
  }

  function scheduleMeasure() {
    cancelAnimationFrame(state.measureFrame);
    state.measureFrame = requestAnimationFrame(measure);
  }

  function scheduleDraw() {
    if (state.frame) return;
    state.frame = requestAnimationFrame(() => {
      state.frame = 0;
      draw();
      drawViews();
    });
  }

  // Where a connector meets a paragraph: its middle, kept inside the visible part of it.
  function endpoint(box, scrollTop, height) {
    const top = box.top - scrollTop;
    const bottom = top + box.height;
    const middle = top + box.height / 2;
    const from = Math.max(top, 0) + 8;
    const to = Math.min(bottom, height) - 8;
    return from <= to ? Math.min(Math.max(middle, from), to) : middle;
  }

  function svgElement(name, attributes) {
    const element = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
    return element;
  }

  function draw() {
    const gutter = document.querySelector("#reader .gutter");
    if (!gutter) return;
    let svg = gutter.querySelector("svg.connectors");
    if (!panesScroll()) {
      if (svg) svg.remove();
      return;
    }
    const width = gutter.clientWidth;
    const height = gutter.clientHeight;
    if (!svg) {
      svg = svgElement("svg", { class: "connectors", "aria-hidden": "true", focusable: "false" });
      gutter.append(svg);
    }
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.classList.toggle("has-selection", Boolean(state.selected));
    const left = pane("l");
    const right = pane("r");
    const shown = [];
    for (const link of model.links) {
      const a = model.cells.l.get(link.l);
      const b = model.cells.r.get(link.r);
      if (!a || !b) continue;
      const y1 = endpoint(a, left.scrollTop, height);
      const y2 = endpoint(b, right.scrollTop, height);
      if ((y1 < 0 && y2 < 0) || (y1 > height && y2 > height)) continue;
      shown.push({ link, a, b, y1, y2 });
    }
    const nodes = [];
    // A selected link, or every link of a selected paragraph.
    const chosen = state.selected;
    const isChosen = (link) => Boolean(chosen) && (chosen.side
      ? link[chosen.side] === chosen.position
      : link.l === chosen.l && link.r === chosen.r);
    for (const { link, a, b, y1, y2 } of shown) {
      const isSelected = isChosen(link);
      const classes = `rel-${link.rel} state-${link.state}${isSelected ? " is-selected" : ""}`;
      const curve = `M0,${y1} C${width / 2},${y1} ${width / 2},${y2} ${width},${y2}`;
      if (isSelected) {
        const t1 = a.top - left.scrollTop;
        const t2 = b.top - right.scrollTop;
        const b1 = t1 + a.height;
        const b2 = t2 + b.height;
        nodes.push(svgElement("path", {
          class: `connector-band ${classes}`,
          d: `M0,${t1} C${width / 2},${t1} ${width / 2},${t2} ${width},${t2} L${width},${b2} C${width / 2},${b2} ${width / 2},${b1} 0,${b1} Z`,
        }));
      }
      nodes.push(svgElement("path", { class: `connector ${classes}`, d: curve }));
      nodes.push(svgElement("path", { class: "connector-hit", d: curve, "data-l": link.l, "data-r": link.r }));
      if (isSelected || shown.length <= MAX_ICONS) {
        const icon = svgElement("text", {
          class: `connector-icon${isSelected ? " is-selected" : ""}`,
          x: width / 2,
          y: (y1 + y2) / 2,
        });
        icon.textContent = ICONS[link.rel] || "↔";
        nodes.push(icon);
      }
    }
    svg.replaceChildren(...nodes);
  }

  // --- Overview strips --------------------------------------------------------------------

  function stripDefs() {
    const defs = svgElement("defs", {});
    const patterns = [
      ["strip-hatch", "#8a8f99", "#fff"],
      ["strip-reframed", "var(--rel-reframes)", "#fbe6cc"],
      ["strip-contradicted", "var(--rel-contradicts)", "#f9dccf"],
    ];
    for (const [id, ink, paper] of patterns) {
      const pattern = svgElement("pattern", { id, width: 6, height: 6, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" });
      const background = svgElement("rect", { width: 6, height: 6 });
      background.style.fill = paper;
      const line = svgElement("rect", { width: 2.5, height: 6 });
      line.style.fill = ink;
      pattern.append(background, line);
      defs.append(pattern);
    }
    return defs;
  }

  function drawStrips() {
    for (const side of SIDES) {
      const strip = document.querySelector(`#reader .strip-${side}`);
      const column = pane(side);
      if (!strip || !column) continue;
      if (!panesScroll()) {
        strip.replaceChildren();
        continue;
      }
      const height = strip.clientHeight;
      const total = Math.max(column.scrollHeight, 1);
      const svg = svgElement("svg", { viewBox: `0 0 10 ${height}`, preserveAspectRatio: "none", focusable: "false" });
      if (side === "l") svg.append(stripDefs());
      for (const box of model.cells[side].values()) {
        svg.append(svgElement("rect", {
          class: `block block-${box.fate}`,
          x: 1,
          width: 8,
          y: (box.top / total) * height,
          height: Math.max((box.height / total) * height - 0.5, 1),
        }));
      }
      svg.append(svgElement("rect", { class: "view", x: 0.5, width: 9, y: 0, height: 0 }));
      strip.replaceChildren(svg);
    }
    drawViews();
  }

  function drawViews() {
    for (const side of SIDES) {
      const view = document.querySelector(`#reader .strip-${side} rect.view`);
      const column = pane(side);
      if (!view || !column) continue;
      const height = view.ownerSVGElement.viewBox.baseVal.height;
      const total = Math.max(column.scrollHeight, 1);
      view.setAttribute("y", (column.scrollTop / total) * height);
      view.setAttribute("height", (column.clientHeight / total) * height);
    }
  }

  // --- Scrolling --------------------------------------------------------------------------

  // A scroll the script makes is remembered, so that it does not drive the other column.
  function scrollPane(column, top) {
    const target = Math.max(0, Math.min(top, column.scrollHeight - column.clientHeight));
    column.expectedScroll = target;
    column.scrollTop = target;
  }

  function syncing() {
    const toggle = $("sync-scroll");
    return Boolean(toggle && toggle.checked && panesScroll());
  }

  // Keep the other column's linked paragraph level with this one's, at a reading line a
  // third of the way down, interpolating between the links either side of it.
  function follow(side) {
    const anchors = model.anchors[side];
    if (!anchors.length) return;
    const from = pane(side);
    const to = pane(OTHER[side]);
    const line = from.clientHeight / 3;
    const position = from.scrollTop + line;
    let low = 0;
    let high = anchors.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (anchors[middle].from <= position) low = middle;
      else high = middle - 1;
    }
    const a = anchors[low];
    const b = anchors[low + 1];
    let target;
    if (position < a.from || !b) target = a.to + (position - a.from);
    else target = a.to + ((position - a.from) / Math.max(b.from - a.from, 1)) * (b.to - a.to);
    scrollPane(to, target - line);
  }

  document.addEventListener(
    "scroll",
    (event) => {
      const column = event.target;
      if (!(column instanceof HTMLElement) || !column.classList.contains("pane")) return;
      const expected = column.expectedScroll;
      column.expectedScroll = undefined;
      if (!(expected !== undefined && Math.abs(column.scrollTop - expected) < 2) && syncing()) {
        follow(column.id === "pane-l" ? "l" : "r");
      }
      scheduleDraw();
    },
    true,
  );

  // Bring a paragraph into its column's view, and its partner level with it in the other:
  // at the paragraph's own height when it is in view (the reader's eyes are there), else
  // near the top, at a height both columns can scroll to when there is one.
  function bringIntoView(side, position, partnerSide, partnerPosition) {
    const here = cell(side, position);
    if (!here) return;
    const partner = partnerPosition === undefined ? null : cell(partnerSide, partnerPosition);
    if (!panesScroll()) {
      const shown = [here, partner].find((element) => element && element.offsetParent !== null);
      if (shown) shown.scrollIntoView({ block: "center" });
      return;
    }
    const reader = $("reader");
    const box = reader.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) window.scrollBy(0, box.top - 8);
    const column = pane(side);
    const current = here.offsetTop - column.scrollTop;
    const inView = current >= 0 && current + Math.min(here.offsetHeight, column.clientHeight / 2) <= column.clientHeight;
    const range = (element, scroller) => [
      element.offsetTop - (scroller.scrollHeight - scroller.clientHeight),
      element.offsetTop,
    ];
    const clamp = (value, [low, high]) => Math.min(Math.max(value, low), high);
    const mine = range(here, column);
    let level = clamp(inView ? current : column.clientHeight * 0.15, mine);
    if (partner) {
      const other = pane(partnerSide);
      const theirs = range(partner, other);
      const low = Math.max(mine[0], theirs[0]);
      const high = Math.min(mine[1], theirs[1]);
      if (low <= high) level = clamp(level, [low, high]);
      scrollPane(other, partner.offsetTop - clamp(level, theirs));
    }
    scrollPane(column, here.offsetTop - level);
    scheduleDraw();
  }

  // --- Selection --------------------------------------------------------------------------

  function clearSelection() {
    for (const element of document.querySelectorAll(".is-selected, .is-partner")) {
      element.classList.remove("is-selected", "is-partner");
    }
  }

  function describe(link) {
    return `${sideName("l")} ¶${link.l} and ${sideName("r")} ¶${link.r}: ${link.rel}, ${link.state}.`;
  }

  function selectLink(l, r, { panel = true, focus = false, scroll = true } = {}) {
    const index = linkIndex(l, r);
    if (index < 0) return false;
    const link = model.links[index];
    clearSelection();
    cell("l", l)?.classList.add("is-selected");
    cell("r", r)?.classList.add("is-selected");
    $(`pair-l${l}-r${r}`)?.classList.add("is-selected");
    state.selected = { l, r };
    state.current = index;
    if (panel) makeRoomForPanel();
    if (scroll) bringIntoView("l", l, "r", r);
    history.replaceState(null, "", `#pair-l${l}-r${r}`);
    announce(`Selected ${describe(link)}`);
    if (panel) openPanel(l, r, focus);
    draw();
    return true;
  }

  function selectParagraph(side, position, { panel = true } = {}) {
    const here = cell(side, position);
    if (!here) return false;
    clearSelection();
    here.classList.add("is-selected");
    const partners = model.links.filter((link) => link[side] === position);
    for (const link of partners) cell(OTHER[side], link[OTHER[side]])?.classList.add("is-partner");
    const first = partners.find((link) => link.state !== "rejected") || partners[0];
    state.selected = { side, position };
    state.current = first ? linkIndex(first.l, first.r) : state.current;
    if (panel && first) makeRoomForPanel();
    bringIntoView(side, position, OTHER[side], first ? first[OTHER[side]] : undefined);
    history.replaceState(null, "", `#${side}${position}`);
    const name = `${sideName(side)} ¶${position}`;
    if (!partners.length) {
      const fate = here.querySelector(".cell-meta")?.dataset.fate;
      announce(`${name} selected: ${fate === "omitted" || fate === "added" ? "no counterpart" : "no link"}.`);
      closePanel();
    } else {
      const list = partners.map((link) => `¶${link[OTHER[side]]} (${link.rel}, ${link.state})`).join(", ");
      announce(`${name} selected, linked to ${sideName(OTHER[side])} ${list}.`);
      if (panel && first) openPanel(first.l, first.r, false);
    }
    draw();
    return true;
  }

  function move(step) {
    if (!model.links.length) return;
    const count = model.links.length;
    const next = state.current < 0 ? (step > 0 ? 0 : count - 1) : (state.current + step + count) % count;
    const link = model.links[next];
    selectLink(link.l, link.r, { panel: isPanelOpen() });
  }

  // --- The link panel ---------------------------------------------------------------------

  function isPanelOpen() {
    const panel = $("link-panel");
    return Boolean(panel && !panel.hidden);
  }

  function makeRoomForPanel() {
    const panel = $("link-panel");
    if (!panel || !window.htmx) return;
    if (!isPanelOpen()) state.opener = document.activeElement;
    panel.hidden = false;
    $("columns").classList.add("panel-open");
  }

  function openPanel(l, r, focus) {
    const panel = $("link-panel");
    if (!panel || !window.htmx) return;
    makeRoomForPanel();
    window.htmx.ajax("GET", pairUrl(l, r), { target: panel, swap: "innerHTML" }).then(() => {
      if (focus) panel.querySelector("#panel-title")?.focus();
    });
  }

  function closePanel() {
    const panel = $("link-panel");
    if (!panel || panel.hidden) return;
    const hadFocus = panel.contains(document.activeElement);
    panel.hidden = true;
    panel.replaceChildren();
    $("columns")?.classList.remove("panel-open");
    announce("Link panel closed.");
    if (hadFocus) {
      const back = state.opener && state.opener.isConnected ? state.opener : null;
      const fallback = state.selected && state.selected.r !== undefined
        ? document.querySelector(`#l${state.selected.l} a.partner[data-r="${state.selected.r}"]`)
        : null;
      (back || fallback || $("reader"))?.focus();
    }
    state.opener = null;
  }

  // --- Announcements ----------------------------------------------------------------------

  function announce(message) {
    const region = $("announcer");
    if (!region) return;
    region.textContent = "";
    setTimeout(() => { region.textContent = message; }, 30);
  }

  // --- Events -----------------------------------------------------------------------------

  function isTyping(element) {
    return Boolean(element && element.closest && element.closest("input, textarea, select, [contenteditable]"));
  }

  document.addEventListener("click", (event) => {
    if (!$("reader")) return;
    const target = event.target;
    if (!(target instanceof Element)) return;
    const hit = target.closest(".connector-hit");
    if (hit) {
      selectLink(Number(hit.dataset.l), Number(hit.dataset.r));
      return;
    }
    const chip = target.closest("a.partner, a.pair-open");
    if (chip && chip.dataset.l && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      selectLink(Number(chip.dataset.l), Number(chip.dataset.r));
      return;
    }
    if (target.closest(".panel-close")) {
      closePanel();
      return;
    }
    const strip = target.closest(".strip");
    if (strip) {
      const side = strip.classList.contains("strip-l") ? "l" : "r";
      const column = pane(side);
      const box = strip.getBoundingClientRect();
      const share = (event.clientY - box.top) / Math.max(box.height, 1);
      column.scrollTop = share * column.scrollHeight - column.clientHeight / 2;
      return;
    }
    const number = target.closest(".cell-meta a.para-pos");
    const paragraph = target.closest(".pane > .cell");
    if (!paragraph) return;
    if (number) event.preventDefault();
    else if (target.closest("a, button, input, select, textarea, label, form, .notes")) return;
    const selection = window.getSelection();
    if (!number && selection && !selection.isCollapsed) return; // selecting words to annotate
    const side = paragraph.classList.contains("cell-l") ? "l" : "r";
    selectParagraph(side, Number(paragraph.dataset.pos));
  });

  document.addEventListener("keydown", (event) => {
    if (!$("reader") || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Escape" && isPanelOpen()) {
      event.preventDefault();
      closePanel();
      return;
    }
    if (isTyping(event.target)) return;
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      move(event.key === "j" ? 1 : -1);
    } else if (event.key === "Enter" && state.current >= 0) {
      if (event.target instanceof Element && event.target.closest("a, button, summary, [tabindex]:not(#main)")) return;
      event.preventDefault();
      const link = model.links[state.current];
      selectLink(link.l, link.r, { panel: true, focus: true, scroll: false });
    }
  });

  const sync = () => $("sync-scroll");
  document.addEventListener("change", (event) => {
    if (event.target === sync()) {
      localStorage.setItem("parallax:sync", event.target.checked ? "on" : "off");
      if (event.target.checked) follow("l");
      announce(event.target.checked ? "The texts scroll together." : "The texts scroll on their own.");
    }
    if (event.target instanceof HTMLInputElement && event.target.name === "view") scheduleMeasure();
  });

  function followHash() {
    const hash = decodeURIComponent(window.location.hash.slice(1));
    const pair = /^pair-l(\d+)-r(\d+)$/.exec(hash);
    if (pair) {
      selectLink(Number(pair[1]), Number(pair[2]));
      return;
    }
    const paragraph = /^([lr])(\d+)$/.exec(hash);
    if (paragraph) {
      const [, side, position] = paragraph;
      if (!panesScroll()) {
        const radio = document.querySelector(`.view-switch input[value="${side}"]`);
        if (radio) radio.checked = true;
      }
      selectParagraph(side, Number(position));
    }
  }

  // After an htmx swap: new columns are set up again; new marks (a link confirmed, rejected,
  // retyped) restyle the connectors and strips; the layout itself does not move.
  document.addEventListener("htmx:afterSettle", (event) => {
    const target = event.detail && event.detail.target;
    if (target && target.id === "columns") {
      setup();
      return;
    }
    if (!$("reader")) return;
    readLinks();
    if (state.selected && state.selected.r !== undefined) {
      $(`pair-l${state.selected.l}-r${state.selected.r}`)?.classList.add("is-selected");
    }
    scheduleMeasure();
  });

  // A card curated while the panel shows the same link: the panel reads it again.
  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail && event.detail.target;
    if (!target || !target.classList || !target.classList.contains("pair-card") || !isPanelOpen()) return;
    const shown = $("link-panel").querySelector(".pair-panel");
    if (shown && `pair-l${shown.dataset.l}-r${shown.dataset.r}` === target.id) {
      window.htmx.ajax("GET", pairUrl(shown.dataset.l, shown.dataset.r), { target: "#link-panel", swap: "innerHTML" });
    }
  });

  function setup() {
    if (resizeObserver) resizeObserver.disconnect();
    state.selected = null;
    state.current = -1;
    if (!$("reader")) return;
    readLinks();
    const toggle = sync();
    if (toggle) toggle.checked = wide.matches && localStorage.getItem("parallax:sync") !== "off";
    // On a phone the legend starts folded: the words on every mark already say it.
    const legend = document.querySelector("#columns details.legend");
    if (legend && !wide.matches) legend.open = false;
    resizeObserver = new ResizeObserver(scheduleMeasure);
    for (const side of SIDES) {
      const column = pane(side);
      if (!column) continue;
      resizeObserver.observe(column);
      for (const element of column.children) resizeObserver.observe(element);
    }
    measure();
  }

  wide.addEventListener("change", () => {
    const toggle = sync();
    if (toggle) toggle.checked = wide.matches && localStorage.getItem("parallax:sync") !== "off";
    scheduleMeasure();
  });
  window.addEventListener("hashchange", followHash);
  document.addEventListener("DOMContentLoaded", setup);
  // After the browser's own jump to the anchor (a pair's card has its id), so that the
  // selection, beside its partner in the columns, is what the reader sees; unless the
  // reader has already moved on (a key pressed in that frame set another link's hash).
  window.addEventListener("load", () => {
    const hash = window.location.hash;
    requestAnimationFrame(() => {
      if (window.location.hash === hash) followHash();
    });
  });
})();
