// A bank import's page while the import runs: every few seconds the page is fetched again and
// its status region replaced in place, which screen readers announce (aria-live). The page never
// reloads itself by default: a reload moves a reader back to its top, and an automatic one is a
// time limit the reader did not choose (WCAG 2.2.1). Without this script the page offers a
// "Refresh now" link, and a link to turn automatic refreshing on.
(() => {
  const region = document.querySelector("[data-import-status]");
  if (!region || region.dataset.finished === "true") return;
  const poll = async () => {
    try {
      const response = await fetch(window.location.pathname, { credentials: "same-origin" });
      if (response.ok) {
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const next = page.querySelector("[data-import-status]");
        if (next) {
          region.innerHTML = next.innerHTML;
          region.dataset.finished = next.dataset.finished;
        }
      }
    } catch {
      // The server could not be reached this time; the next try may.
    }
    if (region.dataset.finished !== "true") window.setTimeout(poll, 3000);
  };
  window.setTimeout(poll, 3000);
})();
