/* The schedule page's Gantt chart (frappe-gantt): critical tasks, negative float, the deadline, days off. */
(function () {
  "use strict";
  var holder = document.getElementById("gantt");
  var source = document.getElementById("gantt-data");
  if (!holder || !source || typeof Gantt === "undefined") return;
  var data = JSON.parse(source.textContent);

  function iso(d) {
    var m = d.getMonth() + 1, day = d.getDate();
    return d.getFullYear() + "-" + (m < 10 ? "0" : "") + m + "-" + (day < 10 ? "0" : "") + day;
  }
  var holidays = new Set(data.holidays), workdays = new Set(data.workdays);
  function dayOff(d) {
    if (data.continuous) return false;
    var key = iso(d);
    if (workdays.has(key)) return false;
    if (holidays.has(key)) return true;
    // The calendar's working weekdays (Monday = 0), Monday–Friday when the page does not say.
    var working = data.weekdays || [0, 1, 2, 3, 4];
    return working.indexOf((d.getDay() + 6) % 7) < 0;
  }
  function esc(text) {
    var div = document.createElement("div");
    div.textContent = String(text);
    return div.innerHTML;
  }
  var highlights = {};
  highlights["var(--td-gantt-off)"] = [dayOff];
  highlights["var(--td-gantt-deadline)"] = [data.deadline];

  // Month columns narrow enough that a whole project (start to deadline) fits the card.
  var first = new Date(data.start), last = new Date(data.deadline);
  data.tasks.forEach(function (t) { var e = new Date(t.end); if (e > last) last = e; });
  var months = (last.getFullYear() - first.getFullYear()) * 12 + last.getMonth() - first.getMonth() + 1;
  var monthWidth = Math.max(50, Math.min(120, Math.floor((holder.clientWidth - 4) / (months + 4))));
  var modes = [Gantt.VIEW_MODE.DAY, Gantt.VIEW_MODE.WEEK, Gantt.VIEW_MODE.MONTH].map(function (m) {
    return Object.assign({}, m, m.name === "Month" ? { column_width: monthWidth } : {});
  });
  // frappe-gantt opens on the first mode given.
  modes.sort(function (a, b) { return (b.name === data.view_mode) - (a.name === data.view_mode); });

  var gantt = new Gantt(holder, data.tasks, {
    view_modes: modes,
    infinite_padding: false,
    language: "zh",
    view_mode: data.view_mode,
    readonly: true,
    bar_height: 24,
    padding: 14,
    container_height: Math.min(660, 120 + data.tasks.length * 38),
    holidays: highlights,
    is_weekend: dayOff,
    today_button: false,
    scroll_to: data.start,
    popup_on: "click",
    popup: function (ctx) {
      var t = ctx.task.td;
      if (t.deadline) {
        ctx.set_title("完成时限");
        ctx.set_subtitle(t.deadline);
        ctx.set_details("所有任务的最迟完成日期不晚于此日（最后一个工作日）");
        return;
      }
      ctx.set_title(esc(t.code + " " + t.name));
      ctx.set_subtitle(t.duration === 0 ? "里程碑" : "工期 " + t.duration + " 个工作日");
      var fl = t.total_float < 0 ? '<b class="text-danger">' + t.total_float + "</b>" : t.total_float;
      ctx.set_details(
        "最早：" + t.early_start + " 至 " + t.early_finish + "<br>" +
        "最迟：" + t.late_start + " 至 " + t.late_finish + "<br>" +
        "总时差：" + fl + " 个工作日" + (t.critical ? "（关键任务）" : "")
      );
    },
  });
  window.tdGantt = gantt;
  document.querySelectorAll("[data-view]").forEach(function (button) {
    if (button.dataset.view === data.view_mode) button.classList.add("active");
    button.addEventListener("click", function () {
      gantt.change_view_mode(button.dataset.view);
      document.querySelectorAll("[data-view]").forEach(function (b) { b.classList.toggle("active", b === button); });
    });
  });
})();
