/* The meeting, live (调度会现场): ← and → walk the agenda (not while typing in the decision form). */
(function () {
  "use strict";
  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || typing(event.target)) return;
    var link = null;
    if (event.key === "ArrowRight" || event.key === "PageDown") link = document.querySelector("[data-live-next]");
    if (event.key === "ArrowLeft" || event.key === "PageUp") link = document.querySelector("[data-live-prev]");
    if (link) {
      event.preventDefault();
      window.location.assign(link.getAttribute("href"));
    }
  });
})();
