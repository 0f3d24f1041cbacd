/* 周报填报表单：浏览器中的草稿（登录超时也不丢），以及沿用上周形象进度的提示。
 *
 * Draft: every change of the form is kept in localStorage under the form's data-draft-key (user, project,
 * report id or "new"). On load a kept draft that differs from the page's values is put back, with a notice
 * and a button to discard it. Submitting the form marks the key in sessionStorage; the report's page (where a
 * successful 保存草稿/提交 lands) then deletes the draft. A refused submission comes back to the form, and
 * a submission refused because the session ended goes to the sign-in page and then back to the form: in
 * both cases the draft stays.
 */
(function () {
  "use strict";
  var PENDING = "tiaodu:report-draft:pending";

  function storage(kind) {
    try {
      var s = window[kind];
      s.setItem("tiaodu:probe", "1");
      s.removeItem("tiaodu:probe");
      return s;
    } catch (e) {
      return null;
    }
  }
  var local = storage("localStorage");
  var session = storage("sessionStorage");
  if (!local || !session) { return; }

  // The report's page after a successful save: the draft is on the server now.
  if (document.getElementById("td-draft-saved")) {
    var done = session.getItem(PENDING);
    if (done) { local.removeItem(done); }
    session.removeItem(PENDING);
    return;
  }

  var form = document.getElementById("report-form");
  if (!form || !form.getAttribute("data-draft-key")) { return; }
  var key = form.getAttribute("data-draft-key");
  if (session.getItem(PENDING) === key) { session.removeItem(PENDING); }

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" && el.type !== "submit" &&
        el.type !== "button";
    });
  }

  function values() {
    var out = {};
    fields().forEach(function (el) {
      out[el.name] = el.type === "checkbox" ? (el.checked ? "1" : "") : el.value;
    });
    return out;
  }

  function apply(data) {
    fields().forEach(function (el) {
      if (!Object.prototype.hasOwnProperty.call(data, el.name)) { return; }
      if (el.type === "checkbox") { el.checked = data[el.name] === "1"; } else { el.value = data[el.name]; }
      el.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  function same(a, b) {
    return Object.keys(a).every(function (k) { return !Object.prototype.hasOwnProperty.call(b, k) || a[k] === b[k]; });
  }

  var original = values();
  var notice = document.getElementById("td-draft-restored");
  var kept = null;
  try { kept = JSON.parse(local.getItem(key) || "null"); } catch (e) { kept = null; }
  if (kept && kept.values && !same(kept.values, original)) {
    apply(kept.values);
    if (notice) { notice.hidden = false; }
  }

  function save() {
    local.setItem(key, JSON.stringify({ saved: new Date().toISOString(), values: values() }));
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", function () {
    save();
    session.setItem(PENDING, key);
  });

  var discard = document.getElementById("td-draft-discard");
  if (discard) {
    discard.addEventListener("click", function () {
      local.removeItem(key);
      apply(original);
      local.removeItem(key);
      if (notice) { notice.hidden = true; }
    });
  }
})();

(function () {
  "use strict";
  // 上周形象进度: the notice (and its 确认沿用 box) shows while the text is still last week's.
  var box = document.getElementById("td-carried");
  if (!box) { return; }
  var area = document.getElementById(box.getAttribute("data-carried-for"));
  if (!area) { return; }
  var carried = (box.getAttribute("data-carried-text") || "").trim();
  var wrapper = area.closest(".td-field");
  function update() {
    var same = area.value.trim() === carried;
    box.hidden = !same;
    if (wrapper) { wrapper.classList.toggle("td-carried-field", same); }
  }
  area.addEventListener("input", update);
  update();
})();
