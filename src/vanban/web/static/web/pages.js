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
