/* The /map/ page: the filter bar re-fetches /map/data.json, the legend, the counts, the projects with no
 * location, and drawing a project's geometry (leaflet-geoman) saved with PUT /api/v1/projects/<code>/geometry/.
 * Needs leaflet.js, leaflet-geoman and tdmap.js loaded first. */
(function () {
  "use strict";
  var mapEl = document.getElementById("project-map");
  var form = document.getElementById("map-filter");
  if (!mapEl || !form || !window.TdMap) { return; }

  var counts = document.getElementById("map-counts");
  var message = document.getElementById("map-message");
  var editbar = document.getElementById("map-editbar");
  var editName = document.getElementById("map-edit-name");
  var unlocatedList = document.getElementById("unlocated-list");
  var unlocatedCount = document.getElementById("unlocated-count");
  var handle = null;
  var editable = {};
  var editing = null; // {code, name, layer}
  var requestNo = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function say(kind, text) {
    message.className = "alert alert-" + kind + " py-2";
    message.textContent = text;
  }

  function hush() {
    message.className = "alert d-none";
    message.textContent = "";
  }

  var legend = window.TdMap.legendElement();
  legend.classList.add("td-map-legend-flat");
  document.getElementById("map-legend").appendChild(legend);

  function query() {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.value) { params.append(field.name, field.value); }
    });
    params.append("page", "1");
    return form.getAttribute("data-src") + "?" + params.toString();
  }

  function showUnlocated(items) {
    unlocatedList.textContent = "";
    unlocatedCount.textContent = String(items.length);
    if (!items.length) {
      unlocatedList.appendChild(el("li", "text-secondary", "无"));
      return;
    }
    items.forEach(function (item) {
      var li = el("li", "d-flex align-items-center gap-2 py-1 border-bottom");
      li.setAttribute("data-code", item.code);
      var link = el("a", "flex-grow-1", item.name);
      link.href = item.url;
      li.appendChild(link);
      if (editable[item.code]) {
        var draw = el("button", "btn btn-sm btn-outline-primary py-0", "标绘");
        draw.type = "button";
        draw.addEventListener("click", function () { startEdit(item.code, item.name); });
        li.appendChild(draw);
      }
      unlocatedList.appendChild(li);
    });
  }

  function render(payload, fit) {
    editable = {};
    (payload.editable || []).forEach(function (code) { editable[code] = true; });
    if (!handle) {
      handle = window.TdMap.mount(mapEl, payload, { legend: false, cardActions: cardActions });
      bindCreate();
    } else {
      handle.setPayload(payload, { fit: fit });
    }
    var shown = handle.count();
    var missing = (payload.unlocated || []).length;
    counts.textContent = "地图显示 " + shown + " 个项目" + (missing ? "，另有 " + missing + " 个未标注位置" : "");
    mapEl.setAttribute("data-td-map-state", "ready");
    showUnlocated(payload.unlocated || []);
  }

  function load(fit) {
    var mine = ++requestNo;
    mapEl.setAttribute("data-td-map-state", "loading");
    return fetch(query(), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        if (mine !== requestNo) { return; }
        if (!answer.ok) {
          say("danger", answer.body.error || "地图数据加载失败");
          mapEl.setAttribute("data-td-map-state", "error");
          return;
        }
        render(answer.body, fit);
      })
      .catch(function () {
        if (mine === requestNo) { say("danger", "地图数据加载失败，请检查网络后刷新页面。"); }
      });
  }

  function cardActions(props) {
    if (!editable[props.code]) { return null; }
    var button = el("button", "btn btn-sm btn-outline-primary td-map-draw", "标绘/修改空间范围");
    button.type = "button";
    button.addEventListener("click", function () {
      handle.map.closePopup();
      startEdit(props.code, props.name);
    });
    return [button];
  }

  // --- drawing ------------------------------------------------------------------------------------

  function pm() { return handle.map.pm; }

  function startEdit(code, name) {
    if (editing) { stopEdit(); }
    if (!pm()) { say("danger", "标绘组件未加载，请刷新页面。"); return; }
    hush();
    pm().setLang("zh");
    pm().setGlobalOptions({ finishOn: "dblclick", snappable: false });
    editing = { code: code, name: name, layer: handle.layerFor(code) };
    if (editing.layer && editing.layer.pm) {
      editing.layer.pm.enable({ allowSelfIntersection: true, draggable: true });
    }
    editName.textContent = name + "（" + code + "）";
    editbar.classList.remove("d-none");
    mapEl.classList.add("td-map-editing");
  }

  function stopEdit() {
    if (!editing) { return; }
    pm().disableDraw();
    if (editing.layer && editing.layer.pm) { editing.layer.pm.disable(); }
    if (editing.drawn) { handle.map.removeLayer(editing.drawn); }
    editing = null;
    editbar.classList.add("d-none");
    mapEl.classList.remove("td-map-editing");
  }

  Array.prototype.forEach.call(editbar.querySelectorAll("[data-draw]"), function (button) {
    button.addEventListener("click", function () {
      if (!editing) { return; }
      pm().enableDraw(button.getAttribute("data-draw"), { finishOn: button.getAttribute("data-draw") === "Line" ? "dblclick" : null });
    });
  });

  function bindCreate() {
    handle.map.on("pm:create", function (event) {
      if (!editing) { handle.map.removeLayer(event.layer); return; }
      // The new shape replaces the project's geometry: hide the old one, keep only the last drawn.
      if (editing.drawn) { handle.map.removeLayer(editing.drawn); }
      if (editing.layer) {
        if (editing.layer.pm) { editing.layer.pm.disable(); }
        handle.features.removeLayer(editing.layer);
        editing.layer = null;
      }
      editing.drawn = event.layer;
      if (event.layer.pm) { event.layer.pm.enable({ allowSelfIntersection: true }); }
    });
  }

  function currentGeometry() {
    var layer = editing.drawn || editing.layer;
    if (!layer || !layer.toGeoJSON) { return null; }
    var geojson = layer.toGeoJSON(7);
    return geojson.type === "Feature" ? geojson.geometry : geojson;
  }

  function errorText(body) {
    if (!body || typeof body !== "object") { return "保存失败"; }
    if (body.detail) { return String(body.detail); }
    var parts = [];
    Object.keys(body).forEach(function (key) {
      var value = body[key];
      parts.push(Array.isArray(value) ? value.join("；") : String(value));
    });
    return parts.join("；") || "保存失败";
  }

  document.getElementById("map-save").addEventListener("click", function () {
    if (!editing) { return; }
    var geometry = currentGeometry();
    if (!geometry) { say("warning", "请先在地图上画出线、面或标出点，再保存。"); return; }
    var code = editing.code;
    var name = editing.name;
    var url = mapEl.getAttribute("data-api").replace("CODE", encodeURIComponent(code));
    var save = this;
    save.disabled = true;
    fetch(url, {
      method: "PUT",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": mapEl.getAttribute("data-csrf")
      },
      body: JSON.stringify(geometry)
    })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (answer) {
        save.disabled = false;
        if (!answer.ok) { say("danger", "保存失败：" + errorText(answer.body)); return; }
        stopEdit();
        say("success", "已保存「" + name + "」的空间范围。");
        return load(false);
      })
      .catch(function () {
        save.disabled = false;
        say("danger", "保存失败：网络错误，请重试。");
      });
  });

  document.getElementById("map-cancel").addEventListener("click", function () {
    stopEdit();
    hush();
    load(false);
  });

  form.addEventListener("change", function () { stopEdit(); load(true); });
  form.addEventListener("submit", function (event) { event.preventDefault(); load(true); });
  form.addEventListener("reset", function () { window.setTimeout(function () { stopEdit(); load(true); }, 0); });

  load(true);
})();
