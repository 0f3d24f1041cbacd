/* TdMap — the one Leaflet map every Tiaodu page embeds (the /map/ page, the project file's small map, the
 * big screen, the meeting walk-through). Needs leaflet.js (static vendor/leaflet/) loaded first; include
 * templates/command/_map_assets.html, which loads leaflet.css, leaflet.js, tdmap.css and this file.
 *
 * Contract
 * --------
 *   var handle = window.TdMap.mount(element, payload, options);
 *
 *   payload  the dict of tiaodu.command.map_data.map_payload (as JSON):
 *            {config: {tiles: {url, attribution, subdomains} | null, crs: "wgs84" | "gcj02",
 *                      boundary: GeoJSON | null},
 *             features: FeatureCollection (one feature per project; properties code, name, type,
 *                       type_label, category, lead_unit, status, status_label, level, level_label,
 *                       lag_days, lag_text, url)}
 *            With config.tiles null the map requests nothing from any host: the district boundary is
 *            drawn as a plain base (light fill, outline).
 *   options  {interactive: true,      pan/zoom/click (false: a still picture, no controls)
 *             fit: true,              fit the view to the features (else the boundary)
 *             dark: false,            dark colours (the big screen)
 *             legend: false,          a legend in the map's lower-left corner
 *             emptyText: "",          shown over the map when there is no feature (e.g. 暂未标注位置)
 *             onFeatureClick: function (props, layer, event) — default: open the card popup
 *             cardActions: function (props) -> Array<Node> | null — extra buttons under the card}
 *   handle   {map (the L.Map), features (the L.GeoJSON layer), setPayload(payload, {fit} optional),
 *             layerFor(code) -> the Leaflet layer of that project or null, openCard(code),
 *             count() -> number of features drawn}
 *
 * Colours (TdMap.COLORS, TdMap.legendItems()): 正常 green, 滞后 amber, 严重滞后 red; a completed or
 * accepted project (已竣工/已验收) is grey-blue whatever its level. Points are circle markers, lines
 * (roads, rivers) polylines, polygons (片区) filled polygons.
 *
 * Auto-mount: every element `<div data-td-map data-src="URL">` is filled on DOMContentLoaded with the
 * payload fetched from URL (same origin, with credentials). Options from data attributes:
 * data-interactive="false", data-dark, data-legend, data-empty-text="…". When done the element has
 * data-td-map-state="ready" (or "error"), data-feature-count="N", element.tdMap = the handle, and it
 * fires the event "tdmap:ready" (detail: the handle). Each drawn project's SVG path has data-code="CODE".
 */
(function () {
  "use strict";

  var COLORS = {
    normal: "#1f9d55",
    lagging: "#e6a100",
    severe: "#d63939",
    done: "#5b7a99"
  };
  var DONE = { completed: true, accepted: true };

  function colorOf(props) {
    if (DONE[props.status]) { return COLORS.done; }
    return COLORS[props.level] || COLORS.normal;
  }

  function legendItems() {
    return [
      { key: "normal", label: "正常", color: COLORS.normal },
      { key: "lagging", label: "滞后", color: COLORS.lagging },
      { key: "severe", label: "严重滞后", color: COLORS.severe },
      { key: "done", label: "已竣工/已验收", color: COLORS.done }
    ];
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function legendElement() {
    var box = el("div", "td-map-legend");
    legendItems().forEach(function (item) {
      var row = el("span", "td-map-legend-item td-level-" + item.key);
      row.appendChild(el("span", "td-map-swatch td-swatch-" + item.key));
      row.appendChild(el("span", "", item.label));
      box.appendChild(row);
    });
    return box;
  }

  function cardElement(props, actions) {
    var card = el("div", "td-map-card");
    card.setAttribute("data-code", props.code);
    card.appendChild(el("div", "td-map-card-title", props.name));
    var dl = el("dl", "td-map-card-fields");
    var level = props.level_label || "";
    if (props.lag_text) { level += "（" + props.lag_text + "）"; }
    [
      ["项目编号", props.code],
      ["项目类型", props.type_label],
      ["项目类别", props.category],
      ["牵头单位", props.lead_unit],
      ["项目状态", props.status_label],
      ["滞后等级", level]
    ].forEach(function (pair) {
      dl.appendChild(el("dt", "", pair[0]));
      var dd = el("dd", pair[0] === "滞后等级" ? "td-map-card-level td-level-" + props.level : "", pair[1] || "—");
      dl.appendChild(dd);
    });
    card.appendChild(dl);
    var foot = el("div", "td-map-card-actions");
    var link = el("a", "btn btn-sm btn-primary td-map-card-link", "查看项目档案");
    link.href = props.url;
    foot.appendChild(link);
    (actions || []).forEach(function (node) { if (node) { foot.appendChild(node); } });
    card.appendChild(foot);
    return card;
  }

  function styleFor(feature, dark) {
    var color = colorOf(feature.properties || {});
    var kind = feature.geometry && feature.geometry.type;
    if (kind === "Point" || kind === "MultiPoint") {
      return { radius: 8, color: dark ? "#0b1320" : "#ffffff", weight: 2, fillColor: color, fillOpacity: 0.95 };
    }
    if (kind === "LineString" || kind === "MultiLineString") {
      return { color: color, weight: 5, opacity: 0.95, lineCap: "round" };
    }
    return { color: dark ? "#e9eef5" : color, weight: 2, fillColor: color, fillOpacity: 0.35 };
  }

  function boundaryStyle(dark) {
    return dark
      ? { color: "#7fa7d6", weight: 2, fillColor: "#1c2b44", fillOpacity: 0.6, interactive: false }
      : { color: "#5b7a99", weight: 2, dashArray: "6 4", fillColor: "#eef3f8", fillOpacity: 0.9, interactive: false };
  }

  function mount(element, payload, options) {
    if (!window.L) { throw new Error("TdMap needs leaflet.js loaded first"); }
    var L = window.L;
    options = options || {};
    var interactive = options.interactive !== false;
    var dark = !!options.dark;
    var fit = options.fit !== false;
    element.classList.add("td-map");
    if (dark) { element.classList.add("td-map-dark"); }

    var map = L.map(element, {
      zoomControl: interactive,
      dragging: interactive,
      scrollWheelZoom: interactive,
      doubleClickZoom: interactive,
      boxZoom: interactive,
      keyboard: interactive,
      touchZoom: interactive,
      attributionControl: true,
      zoomSnap: 0.25
    });
    map.attributionControl.setPrefix("Leaflet");
    map.setView([30, 114], 4);

    var base = null;
    var boundary = null;
    var emptyBox = null;
    var layers = {};
    var handle = { map: map, features: null };

    function defaultClick(props, layer) {
      layer.bindPopup(cardElement(props, options.cardActions ? options.cardActions(props) : null), {
        className: "td-map-popup",
        maxWidth: 320,
        minWidth: 240
      }).openPopup();
    }

    var features = L.geoJSON(null, {
      style: function (feature) { return styleFor(feature, dark); },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, styleFor(feature, dark));
      },
      interactive: interactive,
      onEachFeature: function (feature, layer) {
        var props = feature.properties || {};
        layers[props.code] = layer;
        if (!interactive) { return; }
        layer.bindTooltip(props.name + "（" + (DONE[props.status] ? props.status_label : props.level_label) + "）",
          { sticky: true, className: "td-map-tooltip" });
        layer.on("click", function (event) {
          if (options.onFeatureClick) {
            options.onFeatureClick(props, layer, event);
          } else {
            defaultClick(props, layer);
          }
        });
      }
    });
    handle.features = features;

    function setBase(config) {
      if (base) { map.removeLayer(base); base = null; }
      if (boundary) { map.removeLayer(boundary); boundary = null; }
      map.attributionControl.removeAttribution("辖区边界（离线底图）");
      element.classList.toggle("td-map-offline", !config.tiles);
      if (config.tiles && config.tiles.url) {
        var tileOptions = { attribution: config.tiles.attribution || "", maxZoom: 18 };
        if (config.tiles.subdomains) { tileOptions.subdomains = config.tiles.subdomains; }
        base = L.tileLayer(config.tiles.url, tileOptions).addTo(map);
      } else {
        map.attributionControl.addAttribution("辖区边界（离线底图）");
      }
      if (config.boundary) {
        var style = boundaryStyle(dark);
        if (config.tiles) { style.fillOpacity = 0.05; }
        boundary = L.geoJSON(config.boundary, { style: style, interactive: false }).addTo(map);
        boundary.bringToBack();
      }
    }

    function showEmpty(show) {
      if (emptyBox) { emptyBox.remove(); emptyBox = null; }
      if (show && options.emptyText) {
        emptyBox = el("div", "td-map-empty", options.emptyText);
        element.appendChild(emptyBox);
      }
    }

    function fitView() {
      var bounds = features.getBounds();
      // Several projects on the offline base: show the whole district around them.
      if (boundary && (!bounds.isValid() || (handle.count() > 1 && !base))) {
        bounds = bounds.isValid() ? bounds.extend(boundary.getBounds()) : boundary.getBounds();
      }
      if (!bounds.isValid()) { return; }
      var ne = bounds.getNorthEast();
      var sw = bounds.getSouthWest();
      if (ne.lat === sw.lat && ne.lng === sw.lng) {
        map.setView(ne, 15);
      } else {
        map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
      }
    }

    handle.setPayload = function (next, how) {
      next = next || {};
      var config = next.config || {};
      setBase(config);
      features.clearLayers();
      layers = {};
      if (next.features) { features.addData(next.features); }
      if (!map.hasLayer(features)) { features.addTo(map); }
      // Each drawn project's SVG element carries data-code (for tests and page scripts).
      Object.keys(layers).forEach(function (code) {
        var node = layers[code].getElement ? layers[code].getElement() : null;
        if (node) { node.setAttribute("data-code", code); }
      });
      element.setAttribute("data-feature-count", String(handle.count()));
      showEmpty(handle.count() === 0);
      if (how && how.fit !== undefined ? how.fit : fit) { fitView(); }
      return handle;
    };
    handle.layerFor = function (code) { return layers[code] || null; };
    handle.count = function () { return Object.keys(layers).length; };
    handle.openCard = function (code) {
      var layer = layers[code];
      if (layer && layer.feature) { defaultClick(layer.feature.properties, layer); }
      return layer || null;
    };
    handle.fit = fitView;

    if (options.legend) {
      var Legend = L.Control.extend({
        options: { position: "bottomleft" },
        onAdd: function () { return legendElement(); }
      });
      map.addControl(new Legend());
    }

    handle.setPayload(payload);
    element.tdMap = handle;
    return handle;
  }

  function autoMount(element) {
    if (element.tdMap || element.getAttribute("data-td-map-state") === "loading") { return; }
    var src = element.getAttribute("data-src");
    if (!src) { return; }
    element.setAttribute("data-td-map-state", "loading");
    fetch(src, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (payload) {
        var handle = mount(element, payload, {
          interactive: element.getAttribute("data-interactive") !== "false",
          dark: element.hasAttribute("data-dark"),
          legend: element.hasAttribute("data-legend"),
          emptyText: element.getAttribute("data-empty-text") || ""
        });
        element.setAttribute("data-td-map-state", "ready");
        element.dispatchEvent(new CustomEvent("tdmap:ready", { detail: handle, bubbles: true }));
      })
      .catch(function () {
        element.setAttribute("data-td-map-state", "error");
        element.textContent = "";
        element.appendChild(el("div", "td-map-error", "地图数据加载失败，请刷新页面重试。"));
      });
  }

  function autoMountAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-td-map][data-src]"), autoMount);
  }

  window.TdMap = {
    mount: mount,
    autoMount: autoMount,
    COLORS: COLORS,
    colorOf: colorOf,
    legendItems: legendItems,
    legendElement: legendElement,
    cardElement: cardElement
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", autoMountAll);
  } else {
    autoMountAll();
  }
})();
