// The question form in the admin shows only the fields the chosen kind uses: each such field's
// panel names its kinds in data-question-kinds. Without this script every field shows, each with
// help text saying which kinds use it. On saving, a hidden field is emptied, as the kind requires.
(() => {
  const setUp = () => {
    const kind = document.querySelector('select[name="kind"]');
    if (!kind || !document.querySelector("[data-question-kinds]")) return;
    const usedBy = (panel) => panel.dataset.questionKinds.split(" ");
    const show = () => {
      document.querySelectorAll("[data-question-kinds]").forEach((panel) => {
        panel.hidden = Boolean(kind.value) && !usedBy(panel).includes(kind.value);
      });
    };
    kind.addEventListener("change", show);
    // "Add option" brings in a new option's fields after the page has loaded.
    new MutationObserver(show).observe(kind.form, { childList: true, subtree: true });
    kind.form.addEventListener("submit", () => {
      kind.form.querySelectorAll("[data-question-kinds][hidden]").forEach((panel) => {
        panel.querySelectorAll("input, select, textarea").forEach((field) => {
          if (field.type === "checkbox") field.checked = false;
          else if (field.type !== "hidden") field.value = "";
        });
      });
    });
    show();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
