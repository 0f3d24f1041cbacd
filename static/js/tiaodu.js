/* Tiaodu's own small scripts (no build step). */
(function () {
  "use strict";
  // <form data-confirm="…">: ask before submitting (deletions).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);
  // <form data-strip-empty method="get">: leave empty filters out of the address.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-strip-empty") || event.defaultPrevented) { return; }
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && !el.disabled && el.value === "") {
        el.disabled = true;
        window.setTimeout(function () { el.disabled = false; }, 0);
      }
    });
  });
  // <select data-autosubmit>: submit the form when the choice changes.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.hasAttribute && el.hasAttribute("data-autosubmit") && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
  });
  // <button data-copy="#id">: copy the target field's value to the clipboard.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) { return; }
    var field = document.querySelector(button.getAttribute("data-copy"));
    if (!field) { return; }
    field.select();
    var done = function () { button.textContent = "已复制"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done);
    } else if (document.execCommand("copy")) {
      done();
    }
  });
  // <form data-busy="#note">: on submit, disable its buttons and show the note (long generation jobs).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-busy") || event.defaultPrevented) { return; }
    Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) {
      window.setTimeout(function () { b.disabled = true; }, 0);  // after the browser has read the form
    });
    var note = form.getAttribute("data-busy") && document.querySelector(form.getAttribute("data-busy"));
    if (note) { note.classList.remove("d-none"); }
  });
  // <a data-back href="/">: go back a page when there is one (the address is the fallback).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-back]");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
  // <div data-file-count-for="id">: list the files chosen in that file input.
  function fileCounts() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-file-count-for]"), function (out) {
      var input = document.getElementById(out.getAttribute("data-file-count-for"));
      if (!input || input.getAttribute("data-file-count-bound")) { return; }
      input.setAttribute("data-file-count-bound", "1");
      input.addEventListener("change", function () {
        var names = Array.prototype.map.call(input.files, function (f) { return f.name; });
        out.textContent = names.length ? "已选择 " + names.length + " 张：" + names.join("、") : "";
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fileCounts);
  } else {
    fileCounts();
  }
})();
