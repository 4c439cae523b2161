// vanban pages' behaviour, served as a file so the Content-Security-Policy allows no inline
// script: a <select data-autosubmit> sends its form when changed; a button with
// data-add-agency (the recipient picker) adds its agency to the hidden list of codes.
"use strict";

document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-agency]");
  if (!button) return;
  const hidden = document.getElementById("id_agency_codes");
  const codes = hidden.value ? hidden.value.split(",") : [];
  if (codes.includes(button.dataset.code)) return;
  codes.push(button.dataset.code);
  hidden.value = codes.join(",");
  const item = document.createElement("li");
  item.textContent = button.dataset.name + " (" + button.dataset.code + ")";
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "link-dark";
  remove.textContent = "✕ bỏ";
  remove.addEventListener("click", () => {
    hidden.value = hidden.value.split(",").filter((c) => c !== button.dataset.code).join(",");
    item.remove();
  });
  item.appendChild(remove);
  document.getElementById("chosen-agencies").appendChild(item);
});

// a recipient agency already on the draft (the correction page): removed from the hidden list
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-remove-agency]");
  if (!button) return;
  const hidden = document.getElementById("id_agency_codes");
  hidden.value = hidden.value.split(",").filter((c) => c !== button.dataset.code).join(",");
  button.closest("li").remove();
});

// the draft's secrecy: a level that may not go electronically shows the paper-only notice
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-paper-only]");
  const notice = document.getElementById("paper-only");
  if (!field || !notice) return;
  notice.hidden = !field.dataset.paperOnly.split(",").includes(field.value);
});

// a checkbox with data-check-all="NAME" ticks or unticks every checkbox named NAME in its form
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-check-all]");
  if (!all || !all.form) return;
  for (const box of all.form.querySelectorAll(`input[type=checkbox][name="${all.dataset.checkAll}"]`)) {
    box.checked = all.checked;
  }
});

// keyboard shortcuts (the table is vanban.web.shortcuts, given to each page as JSON in a
// data attribute, no inline script): keys
// pressed one after another ("g d"), ignored while typing in a field or with Ctrl/Alt/⌘
(() => {
  const data = document.getElementById("vanban-shortcuts");
  if (!data) return;
  const shortcuts = JSON.parse(data.dataset.shortcuts);
  let pressed = [];
  let timer = null;

  const rows = () => [...document.querySelectorAll("main table.list tbody tr")].filter((tr) => tr.querySelector("a[href]"));
  const move = (step) => {
    const all = rows();
    if (!all.length) return;
    const now = all.findIndex((tr) => tr.classList.contains("selected"));
    const next = Math.max(0, Math.min(all.length - 1, now < 0 ? (step > 0 ? 0 : all.length - 1) : now + step));
    all.forEach((tr) => tr.classList.remove("selected"));
    all[next].classList.add("selected");
    all[next].setAttribute("aria-selected", "true");
    all[next].scrollIntoView({ block: "nearest" });
  };
  const actions = {
    "next-row": () => move(1),
    "previous-row": () => move(-1),
    "open-row": () => {
      const row = document.querySelector("main table.list tbody tr.selected a[href]");
      if (row) window.location.href = row.href;
    },
    "focus-search": () => {
      const box = document.getElementById("topsearch-q");
      if (box) box.focus();
    },
    blur: () => document.activeElement && document.activeElement.blur(),
  };
  const keyName = (event) => (event.key === "Escape" ? "Esc" : event.key);

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const typing = event.target.closest("input, textarea, select, [contenteditable]");
    const key = keyName(event);
    if (typing && key !== "Esc") return;
    if (key === "Enter" && !document.querySelector("main table.list tbody tr.selected")) return;
    pressed.push(key);
    clearTimeout(timer);
    timer = setTimeout(() => (pressed = []), 1500);
    const typed = pressed.join(" ");
    const hit = shortcuts.find((s) => s.keys === typed);
    if (hit) {
      event.preventDefault();
      pressed = [];
      if (hit.url) window.location.href = hit.url;
      else if (actions[hit.action]) actions[hit.action]();
      return;
    }
    if (!shortcuts.some((s) => s.keys.startsWith(typed + " "))) pressed = [];
  });
})();
