/* The big screen (大屏): fetch the screen's JSON (data-url) now and every data-refresh seconds, and draw
   it; no page reload. A kiosk link that stops (403/404) shows 「链接已停用」 and fetches no more. */
(function () {
  "use strict";

  var root = document.getElementById("sc");
  if (!root) return;
  var url = root.getAttribute("data-url");
  var refresh = Math.max(parseInt(root.getAttribute("data-refresh"), 10) || 300, 30) * 1000;
  var timer = null;
  var map = null;
  var photoTimer = null;
  var tickerAnimation = null;
  var WEEK = ["日", "一", "二", "三", "四", "五", "六"];

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function clock() {
    var d = new Date();
    $("sc-date").textContent = d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() + "日 星期" +
      WEEK[d.getDay()] + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }

  function num(n) { return Number(n).toLocaleString("zh-CN"); }

  function campaign(c) {
    $("sc-campaign").textContent = c.name || "";
    var box = $("sc-countdown");
    clear(box);
    if (c.days_left === null || c.days_left === undefined) {
      box.textContent = "未设置目标日期";
      return;
    }
    box.appendChild(document.createTextNode("距目标还有"));
    box.appendChild(el("b", "", num(c.days_left)));
    box.appendChild(document.createTextNode("天"));
  }

  function overview(data) {
    var body = $("sc-types");
    clear(body);
    data.overview.forEach(function (t) {
      var tr = el("tr");
      tr.title = t.sentence;
      tr.appendChild(el("td", "", t.label));
      [t.total, t.under_construction, t.completed, t.not_started].forEach(function (v) { tr.appendChild(el("td", "", num(v))); });
      tr.appendChild(el("td", "sc-rate", t.started_rate.toFixed(1) + "%"));
      body.appendChild(tr);
    });
    var lv = data.levels;
    $("sc-levels").textContent = "共" + num(data.total) + "项 · 严重滞后" + num(lv.severe) + " · 滞后" + num(lv.lagging);
  }

  function moneyRow(r, timePct) {
    var row = el("div", "sc-money-row");
    row.title = r.label + "：累计完成" + r.ytd + "，年度计划" + r.annual_plan;
    row.appendChild(el("div", "sc-money-label", r.label));
    var bar = el("div", "sc-bar");
    var fill = el("div", "sc-bar-fill");
    fill.style.width = Math.min(r.ytd_pct || 0, 100) + "%";
    var mark = el("div", "sc-bar-time");
    mark.style.left = "calc(" + Math.min(timePct, 100) + "% - 1px)";
    bar.appendChild(fill);
    bar.appendChild(mark);
    row.appendChild(bar);
    var pct = el("div", "sc-money-pct " + (r.behind ? "sc-behind" : "sc-ahead"), r.ytd_pct_text);
    row.appendChild(pct);
    return row;
  }

  function investment(inv) {
    var box = $("sc-money");
    clear(box);
    $("sc-money-period").textContent = inv.period + " · 时间进度" + inv.time_pct_text;
    [inv.all].concat(inv.types).forEach(function (r) {
      box.appendChild(moneyRow(r, inv.time_pct));
    });
    var a = inv.all;
    var note = el("div", "sc-money-note");
    note.appendChild(document.createTextNode("全区累计完成" + a.ytd + "，年度计划" + a.annual_plan + "，"));
    note.appendChild(el("b", "", a.against_time || "未编制年度计划"));
    note.title = inv.sentence;
    box.appendChild(note);
  }

  function units(data) {
    var body = $("sc-units");
    clear(body);
    var last = 0;
    data.units.forEach(function (u) {
      if (u.rank > last + 1) {
        var gap = el("tr", "sc-gap");
        var cell = el("td", "", "⋯ 共" + data.units_total + "个单位 ⋯");
        cell.colSpan = 5;
        gap.appendChild(cell);
        body.appendChild(gap);
      }
      last = u.rank;
      var tr = el("tr");
      tr.appendChild(el("td", "", u.rank));
      var name = el("td", "", u.unit);
      name.title = u.unit;
      tr.appendChild(name);
      tr.appendChild(el("td", "", num(u.projects)));
      tr.appendChild(el("td", "", u.share_pct.toFixed(1) + "%"));
      tr.appendChild(el("td", "", u.avg_lag.toFixed(1)));
      body.appendChild(tr);
    });
    if (!data.units.length) {
      var tr = el("tr");
      var td = el("td", "sc-empty", "暂无单位");
      td.colSpan = 5;
      tr.appendChild(td);
      body.appendChild(tr);
    }
  }

  function lagging(data) {
    var list = $("sc-lagging");
    clear(list);
    $("sc-lagging-total").textContent = data.behind_total > data.lagging.length
      ? "共" + num(data.behind_total) + "项，显示前" + data.lagging.length + "项" : "共" + num(data.behind_total) + "项";
    data.lagging.forEach(function (p, i) {
      var li = el("li", "sc-lag");
      li.setAttribute("data-code", p.code);
      li.appendChild(el("span", "sc-lag-rank", i + 1));
      var name = el("span", "sc-lag-name", p.name);
      name.title = p.name + "（" + p.code + "）" + (p.units ? " · " + p.units : "");
      li.appendChild(name);
      li.appendChild(el("span", "sc-lag-badge sc-" + p.level, p.level_label));
      var text = el("span", "sc-lag-text", p.lag_text);
      text.title = p.lag_text;
      li.appendChild(text);
      list.appendChild(li);
    });
    if (!data.lagging.length) list.appendChild(el("li", "sc-empty", "没有滞后项目"));
  }

  function ticker(items) {
    var track = $("sc-ticker");
    if (tickerAnimation) { tickerAnimation.cancel(); tickerAnimation = null; }
    clear(track);
    var red = items.filter(function (i) { return i.warning === "red"; }).length;
    $("sc-ticker-label").textContent = "红牌" + red + " · 黄牌" + (items.length - red);
    if (!items.length) {
      track.appendChild(el("span", "sc-ticker-item", "当前没有亮红牌、黄牌的督办事项"));
      return;
    }
    items.forEach(function (i) {
      var item = el("span", "sc-ticker-item");
      item.appendChild(el("span", "sc-card-" + i.warning, i.label));
      item.appendChild(document.createTextNode(i.title));
      item.appendChild(el("span", "sc-who", (i.assignees ? i.assignees + " · " : "") + (i.deadline ? "期限" + i.deadline : "")));
      track.appendChild(item);
    });
    var windowWidth = track.parentNode.clientWidth;
    var width = track.scrollWidth;
    if (width > windowWidth && track.animate) {
      tickerAnimation = track.animate(
        [{ transform: "translateX(" + windowWidth + "px)" }, { transform: "translateX(" + -width + "px)" }],
        { duration: (windowWidth + width) * 18, iterations: Infinity }
      );
    }
  }

  function photos(list) {
    var frame = $("sc-photos");
    if (photoTimer) { clearInterval(photoTimer); photoTimer = null; }
    clear(frame);
    if (!list.length) {
      frame.appendChild(el("div", "sc-empty", "暂无已审核的现场照片"));
      return;
    }
    var imgs = list.map(function (p, i) {
      var img = el("img", i === 0 ? "sc-shown" : "");
      img.alt = p.project + " " + p.date + "现场照片";
      img.src = p.url;
      frame.appendChild(img);
      return img;
    });
    var caption = el("div", "sc-photo-caption", list[0].project + " · " + list[0].date);
    frame.appendChild(caption);
    var shown = 0;
    if (list.length > 1) {
      photoTimer = setInterval(function () {
        imgs[shown].className = "";
        shown = (shown + 1) % imgs.length;
        imgs[shown].className = "sc-shown";
        caption.textContent = list[shown].project + " · " + list[shown].date;
      }, 8000);
    }
  }

  function legend() {
    var box = $("sc-legend");
    clear(box);
    window.TdMap.legendItems().forEach(function (item) {
      var dot = el("span", "sc-dot");
      dot.style.background = item.color;
      box.appendChild(dot);
      box.appendChild(document.createTextNode(item.label));
    });
  }

  function drawMap(payload) {
    var box = $("sc-map");
    if (!window.TdMap || !window.TdMap.mount) {
      if (!box.firstChild) box.appendChild(el("div", "sc-map-missing", "地图组件未加载"));
      return;
    }
    if (map) {
      map.setPayload(payload);
    } else {
      clear(box);
      map = window.TdMap.mount(box, payload, { interactive: false, dark: true, fit: true, emptyText: "暂无已标注位置的项目" });
      legend();
    }
  }

  function draw(data) {
    campaign(data.campaign);
    overview(data);
    investment(data.investment);
    units(data);
    lagging(data);
    ticker(data.warnings);
    photos(data.photos);
    drawMap(data.map);
    var updated = $("sc-updated");
    updated.className = "sc-updated";
    updated.textContent = "数据更新于 " + data.updated;
    root.setAttribute("data-loaded", data.updated);
  }

  function stop(message) {
    if (timer) { clearInterval(timer); timer = null; }
    if (photoTimer) { clearInterval(photoTimer); photoTimer = null; }
    var box = $("sc-stopped");
    box.querySelector(".sc-stopped-title").textContent = message;
    box.hidden = false;
    var updated = $("sc-updated");
    updated.className = "sc-updated sc-error";
    updated.textContent = message;
    root.setAttribute("data-stopped", message);
  }

  function failed() {
    var d = new Date();
    var updated = $("sc-updated");
    updated.className = "sc-updated sc-error";
    updated.textContent = "数据更新失败（" + pad(d.getHours()) + ":" + pad(d.getMinutes()) + "），稍后重试";
  }

  function load() {
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        var json = (response.headers.get("content-type") || "").indexOf("application/json") === 0;
        if (response.ok && json && !response.redirected) return response.json().then(draw);
        if ((response.status === 403 || response.status === 404) && json) {
          return response.json().then(function (body) { stop(body.detail || "链接已停用"); });
        }
        if (response.redirected) { stop("登录已失效，请重新登录"); return; }
        failed();
      })
      .catch(failed);
  }

  clock();
  setInterval(clock, 20000);
  load();
  timer = setInterval(load, refresh);
  // Refresh now (a remote's key, the tests): document.dispatchEvent(new Event("sc:refresh")).
  document.addEventListener("sc:refresh", function () { if (timer) load(); });
})();
