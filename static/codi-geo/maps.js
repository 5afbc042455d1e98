/* codi-geo's map helpers (served by the app at /app/static/codi-geo/maps.js; written for
 * codi_geo/maps/layers.py, which documents the payloads they read).
 *
 * codiGeo.Areas draws every polygon of a layer (7,425 tambons at national scale) as ONE
 * Leaflet path on the map's canvas renderer. A plain map makes an L.Polygon per area: a
 * LatLng object per vertex, projection, clipping and simplification per polygon and per
 * redraw. Here the rings are decoded once into flat arrays of Web Mercator "unit"
 * coordinates (the world is 0..1), a redraw is a multiply-add per vertex, areas of one
 * style are filled together, and hit-testing (hover, tooltip, click) is a bounding-box scan
 * plus a point-in-polygon test on the few candidates. Each area still reports {code, i} as
 * its properties to streamlit-folium on click, like a GeoJSON feature.
 */
(function () {
  'use strict';
  if (window.codiGeo) { return; }
  var G = window.codiGeo = {};

  G.html = function (h) { var d = document.createElement('div'); d.innerHTML = h; return d; };

  // The app's root URL, from this script's own (<root>app/static/codi-geo/maps.js?v=…).
  var SRC = document.currentScript ? document.currentScript.src : '';
  G.root = SRC ? SRC.replace(/app\/static\/codi-geo\/maps\.js.*$/, '') : '/';

  // Geometry files (codi_geo/maps/shapes.py: rings and area names of a layer, named by a
  // hash of their content): fetched once per frame, and kept by the browser across frames.
  var files = {};
  G.load = function (names) {
    return Promise.all(names.map(function (name) {
      if (!files[name]) {
        files[name] = fetch(G.root + '_geo/' + name, {credentials: 'same-origin'})
          .then(function (r) {
            if (!r.ok) { throw new Error('geometry file ' + name + ': HTTP ' + r.status); }
            return r.json();
          });
        files[name].catch(function () { delete files[name]; });
      }
      return files[name];
    }));
  };

  // Thai letters packed one ASCII character each (layers.pack_thai): '~' toggles Thai.
  G.uz = function (s) {
    var o = '', th = false;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i);
      if (c === 126) { th = !th; }
      else if (th && c !== 32) { o += c === 124 ? '.' : String.fromCharCode(c + 3552); }
      else { o += s.charAt(i); }
    }
    return o;
  };

  // Indices packed by layers.pack_indices: fixed-width base-64 digits.
  var DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_', VALUE = {};
  for (var c = 0; c < 64; c++) { VALUE[DIGITS.charCodeAt(c)] = c; }
  G.unpack = function (p) {
    if (!p || Array.isArray(p)) { return p; }
    var w = p.w, d = p.d, out = new Array(d.length / w);
    for (var i = 0, j = 0; j < d.length; i++) {
      var v = 0;
      for (var q = 0; q < w; q++) { v = v * 64 + VALUE[d.charCodeAt(j++)]; }
      out[i] = v;
    }
    return out;
  };

  // A tooltip from the shared tables of layers.Tooltips (already escaped there).
  G.tip = function (T, i) {
    var u = T.z ? G.uz : function (x) { return x; };
    // the areas' own names come from the geometry files (T.N, T.P), else from the payload
    var h = '<div class="n">' + (T.N ? T.N[i] : u(T.n[i])) + '</div>';
    if (T.P) { if (T.P[i]) { h += '<div>' + T.P[i] + '</div>'; } }
    else if (T.s[i] >= 0) { h += '<div>' + u(T.S[T.s[i]]) + '</div>'; }
    for (var r = 0; r < T.l.length; r++) {
      h += '<div>' + u(T.l[r]) + ': <b>' + u(T.S[T.v[r][i]]) + '</b></div>';
    }
    return G.html(h);
  };

  var RAD = Math.PI / 180, MAX_LAT = 85.0511287798;

  // One encoded ring (layers.encode_ring: lon/lat deltas at 10^-f) as Web Mercator unit
  // coordinates [u0, v0, u1, v1, ...]; ``box`` (minU, minV, maxU, maxV) grows to hold it.
  function decodeRing(s, f, box) {
    var n = s.length, out = new Float64Array(n), m = 0, i = 0, x = 0, y = 0,
        k = Math.pow(10, f), r, sh, b, lat, u, v;
    while (i < n) {
      r = 0; sh = 0;
      do { b = s.charCodeAt(i++) - 63; r |= (b & 31) << sh; sh += 5; } while (b >= 32);
      x += (r & 1) ? ~(r >> 1) : (r >> 1);
      r = 0; sh = 0;
      do { b = s.charCodeAt(i++) - 63; r |= (b & 31) << sh; sh += 5; } while (b >= 32);
      y += (r & 1) ? ~(r >> 1) : (r >> 1);
      lat = Math.max(Math.min(y / k, MAX_LAT), -MAX_LAT);
      u = 0.5 + x / k / 360;
      v = 0.5 - Math.log(Math.tan(Math.PI / 4 + lat * RAD / 2)) / (2 * Math.PI);
      out[m++] = u; out[m++] = v;
      if (u < box[0]) { box[0] = u; } if (v < box[1]) { box[1] = v; }
      if (u > box[2]) { box[2] = u; } if (v > box[3]) { box[3] = v; }
    }
    return out.subarray(0, m);
  }

  // The rings of area ``i`` (``parts``: [[encoded ring, ...] per part]) decoded into
  // ``out[i]`` and its box into ``boxes[4i..4i+3]``.
  function decodeArea(parts, f, out, boxes, i) {
    var b = [Infinity, Infinity, -Infinity, -Infinity], decoded = new Array(parts.length);
    for (var p = 0; p < parts.length; p++) {
      decoded[p] = parts[p].map(function (s) { return decodeRing(s, f, b); });
    }
    out[i] = decoded;
    for (var q = 0; q < 4; q++) { boxes[4 * i + q] = b[q]; }
  }

  // A geometry file decoded once per frame: every drawing in the frame (each filter change)
  // takes its areas' rings from it, decoded already.
  function decodeFile(F) {
    if (!F._parts) {
      var n = F.c.length;
      F._parts = new Array(n);
      F._box = new Float64Array(4 * n);
      for (var i = 0; i < n; i++) { decodeArea(F.g[i], F.f, F._parts, F._box, i); }
    }
    return F;
  }

  function toLatLng(u, v) {
    return L.latLng((2 * Math.atan(Math.exp(Math.PI * (1 - 2 * v))) - Math.PI / 2) / RAD,
                    (u - 0.5) * 360);
  }

  // Even-odd crossing test over every ring of one polygon (shell and holes).
  function inPolygon(rings, u, v) {
    var inside = false;
    for (var r = 0; r < rings.length; r++) {
      var a = rings[r], n = a.length;
      for (var i = 0, j = n - 2; i < n; j = i, i += 2) {
        var vi = a[i + 1], vj = a[j + 1];
        if ((vi > v) !== (vj > v) && u < (a[j] - a[i]) * (v - vi) / (vj - vi) + a[i]) {
          inside = !inside;
        }
      }
    }
    return inside;
  }

  // Area-weighted centre of a ring (unit coordinates), as Leaflet's polygonCenter does it.
  function ringCentre(a) {
    var area = 0, cu = 0, cv = 0, n = a.length;
    for (var i = 0, j = n - 2; i < n; j = i, i += 2) {
      var f = a[j] * a[i + 1] - a[i] * a[j + 1];
      area += f; cu += (a[j] + a[i]) * f; cv += (a[j + 1] + a[i + 1]) * f;
    }
    if (!area) { return [a[0], a[1]]; }
    return [cu / (3 * area), cv / (3 * area)];
  }

  var HIGHLIGHT = {stroke: true, weight: 3, color: '#000', opacity: 1, lineCap: 'round',
                   lineJoin: 'round', _dash: []};

  G.Areas = L.Path.extend({
    options: {fill: true, bubblingMouseEvents: false},

    // D: {f: decimals, c: codes, g: [[ring, ...] per part] per area, k: style index per
    // area, s: styles, t: tooltips or null, n: interactive, h: highlight on hover, a:
    // attribution}; or, in place of c and g, u: the geometry files to load and x: which of
    // their areas (positions, in order), null for all of them. The layer draws once they
    // have come and then fires "codi:ready".
    initialize: function (D) {
      L.setOptions(this, {interactive: !!D.n, attribution: D.a || null});
      D.k = G.unpack(D.k); D.x = G.unpack(D.x);
      if (D.t) { D.t.v = D.t.v.map(G.unpack); }
      this._D = D;
      this._n = 0;
      this._all = [Infinity, Infinity, -Infinity, -Infinity];
      this._byStyle = [];
      this._hit = -1;       // the area under the pointer at the last hit test
      this._hl = -1;        // the area drawn highlighted
      this._items = {};
      var base = L.extend({}, L.Polygon.prototype.options);
      this._styles = D.s.map(function (s) {
        var style = L.extend({}, base, s);
        style._dash = typeof style.dashArray === 'string'
          ? style.dashArray.split(/[, ]+/).map(Number) : (style.dashArray || []);
        return style;
      });
      if (D.t) {
        this.bindTooltip(function (l) { return l.feature ? G.tip(D.t, l.feature.properties.i)
                                                         : ''; },
                         {sticky: true, direction: 'top', opacity: 0.95});
      }
      this.on('mouseover mousemove', this._onHover, this);
      this.on('mouseout', this._onLeave, this);
      if (!D.u) { this._build(); this.ready = Promise.resolve(this); return; }
      this.ready = this._load();
    },

    // Fetch the geometry files and build; a failure says so on the map, with a retry.
    _load: function () {
      var self = this, D = this._D;
      return G.load(D.u).then(function (loaded) {
        var c = [], parts = [], boxes = [], N = [], P = [], lang = D.t && D.t.a;
        loaded.forEach(function (F) {
          decodeFile(F);
          c.push.apply(c, F.c); parts.push.apply(parts, F._parts); boxes.push(F._box);
          if (lang) { N.push.apply(N, F.n[lang]); P.push.apply(P, F.p[lang]); }
        });
        var pick = function (a) { return D.x ? D.x.map(function (p) { return a[p]; }) : a; };
        D.c = pick(c); D.f = loaded[0].f;
        if (lang) { D.t.N = pick(N); D.t.P = pick(P); }
        var all = boxes.length === 1 ? boxes[0] : new Float64Array(4 * c.length), at = 0;
        if (boxes.length > 1) { boxes.forEach(function (b) { all.set(b, at); at += b.length; }); }
        self._parts = pick(parts);
        self._box = D.x ? new Float64Array(4 * D.x.length) : all;
        if (D.x) {
          D.x.forEach(function (p, i) { self._box.set(all.subarray(4 * p, 4 * p + 4), 4 * i); });
        }
        self._build();
        if (self._map) {
          self.redraw();
          if (!G.loading(self._map)) { G.recovered(self._map); }
        }
        self.fire('codi:ready');
        return self;
      }, function (error) {
        console.error(error);
        if (self._map) { G.failed(self); } else { self.once('add', function () { G.failed(self); }); }
        return self;
      });
    },

    // Decode the rings (unless they came decoded from a file) and sort the areas by style,
    // once the geometry is at hand.
    _build: function () {
      var D = this._D, n = D.c.length, box = [Infinity, Infinity, -Infinity, -Infinity];
      this._n = n;
      this._built = true;
      if (!this._parts) {
        this._parts = new Array(n);     // per area: [[ring unit coordinates, ...], ...]
        this._box = new Float64Array(4 * n);
        for (var i = 0; i < n; i++) { decodeArea(D.g[i], D.f, this._parts, this._box, i); }
      }
      var b = this._box;
      for (var a4 = 0; a4 < 4 * n; a4 += 4) {
        box[0] = Math.min(box[0], b[a4]); box[1] = Math.min(box[1], b[a4 + 1]);
        box[2] = Math.max(box[2], b[a4 + 2]); box[3] = Math.max(box[3], b[a4 + 3]);
      }
      this._all = box;
      this._byStyle = this._styles.map(function () { return []; });
      for (var a = 0; a < n; a++) { this._byStyle[D.k[a]].push(a); }
    },

    beforeAdd: function (map) {
      if (map.options.crs !== L.CRS.EPSG3857) {
        throw new Error('codiGeo.Areas draws on Web Mercator (EPSG:3857) maps only');
      }
      // One path among many on a canvas: never on an SVG renderer.
      if (!(map.getRenderer(this) instanceof L.Canvas)) { this.options.renderer = L.canvas(); }
      this._renderer = map.getRenderer(this);
    },

    // Mouse events carry the area as ``layer`` (what a feature group would report), so the
    // tooltip shows that area and streamlit-folium reads its properties.
    fire: function (type, data, propagate) {
      if (data && data.originalEvent && this._hit >= 0 && !data.layer) {
        data = L.extend({layer: this.item(this._hit)}, data);
      }
      return L.Path.prototype.fire.call(this, type, data, propagate);
    },

    // Area ``i`` as a stand-in layer: it inherits everything from this layer (events,
    // map, options), so Leaflet's tooltip can take it as its source, and adds the area's
    // feature, centre and bounds.
    item: function (i) {
      var self = this, items = this._items;
      if (!items[i]) {
        var it = Object.create(this);
        it.feature = {type: 'Feature', properties: {code: this._D.c[i], i: i}, geometry: null};
        it.layer = this;
        it.toGeoJSON = function () { return this.feature; };
        it.getBounds = function () { return self._itemBounds(i); };
        it.getCenter = function () { return self._itemCentre(i); };
        items[i] = it;
      }
      return items[i];
    },

    items: function () {
      var out = new Array(this._n);
      for (var i = 0; i < this._n; i++) { out[i] = this.item(i); }
      return out;
    },

    getBounds: function () {
      var a = this._all;
      return L.latLngBounds(toLatLng(a[0], a[3]), toLatLng(a[2], a[1]));
    },

    _itemBounds: function (i) {
      var b = this._box;
      return L.latLngBounds(toLatLng(b[4 * i], b[4 * i + 3]),
                            toLatLng(b[4 * i + 2], b[4 * i + 1]));
    },

    // The centre of the area's largest part (by its bounding box), inside it where the
    // area-weighted centre is not (a crescent, a bay).
    _itemCentre: function (i) {
      var parts = this._parts[i], best = null, bestSize = -1;
      for (var p = 0; p < parts.length; p++) {
        var b = [Infinity, Infinity, -Infinity, -Infinity], a = parts[p][0];
        for (var j = 0; j < a.length; j += 2) {
          b[0] = Math.min(b[0], a[j]); b[1] = Math.min(b[1], a[j + 1]);
          b[2] = Math.max(b[2], a[j]); b[3] = Math.max(b[3], a[j + 1]);
        }
        var size = (b[2] - b[0]) * (b[3] - b[1]);
        if (size > bestSize) { bestSize = size; best = parts[p]; }
      }
      if (!best) { return null; }
      var c = ringCentre(best[0]);
      if (!inPolygon(best, c[0], c[1])) {
        // scan the part's row through that centre (shell and holes) for the widest stretch
        // inside it
        var v = c[1], xs = [];
        for (var h = 0; h < best.length; h++) {
          var ring = best[h];
          for (var k = 0, m = ring.length - 2; k < ring.length; m = k, k += 2) {
            var vk = ring[k + 1], vm = ring[m + 1];
            if ((vk > v) !== (vm > v)) {
              xs.push((ring[m] - ring[k]) * (v - vk) / (vm - vk) + ring[k]);
            }
          }
        }
        xs.sort(function (x, y) { return x - y; });
        var wide = -1;
        for (var q = 0; q + 1 < xs.length; q += 2) {
          if (xs[q + 1] - xs[q] > wide) { wide = xs[q + 1] - xs[q]; c = [(xs[q] + xs[q + 1]) / 2, v]; }
        }
      }
      return toLatLng(c[0], c[1]);
    },

    // --- what the canvas renderer calls -------------------------------------------------

    _project: function () {
      var map = this._map, s = map.options.crs.scale(map.getZoom()), o = map.getPixelOrigin(),
          a = this._all, w = 4;  // the widest stroke we draw (the hover outline is 3 px)
      this._s = s; this._ox = o.x; this._oy = o.y;
      if (!this._n) { this._pxBounds = L.bounds([0, 0], [0, 0]); return; }  // not loaded yet
      this._pxBounds = L.bounds([a[0] * s - o.x - w, a[1] * s - o.y - w],
                                [a[2] * s - o.x + w, a[3] * s - o.y + w]);
    },

    _update: function () {},

    _empty: function () { return !this._n; },

    // Areas of one style share a path, flushed every few hundred vertices: Chromium's canvas
    // slows down more than linearly as one path grows (7,425 areas in one path: 10x slower).
    _updatePath: function () {
      var r = this._renderer;
      if (!r._drawing || !this._n) { return; }
      var ctx = r._ctx, s = this._s, ox = this._ox, oy = this._oy, box = this._box,
          view = r._redrawBounds || r._bounds;
      // the part of the world being redrawn, in unit coordinates (plus a stroke's width)
      var u0 = (view.min.x - 4 + ox) / s, v0 = (view.min.y - 4 + oy) / s,
          u1 = (view.max.x + 4 + ox) / s, v1 = (view.max.y + 4 + oy) / s;
      for (var k = 0; k < this._byStyle.length; k++) {
        var list = this._byStyle[k], st = this._styles[k], count = 0;
        ctx.beginPath();
        for (var j = 0; j < list.length; j++) {
          var i = list[j];
          if (box[4 * i] > u1 || box[4 * i + 2] < u0 || box[4 * i + 1] > v1 ||
              box[4 * i + 3] < v0) { continue; }
          count += this._trace(ctx, i);
          if (count > 400) { this._paint(ctx, st); ctx.beginPath(); count = 0; }
        }
        if (count) { this._paint(ctx, st); }
      }
      if (this._hl >= 0 && this._D.h) {
        ctx.beginPath();
        this._trace(ctx, this._hl);
        this._paint(ctx, HIGHLIGHT);
      }
      ctx.globalAlpha = 1;
    },

    _paint: function (ctx, st) {
      if (st.fill) {
        ctx.globalAlpha = st.fillOpacity;
        ctx.fillStyle = st.fillColor || st.color;
        ctx.fill('evenodd');
      }
      if (st.stroke && st.weight) {
        ctx.setLineDash(st._dash);
        ctx.globalAlpha = st.opacity;
        ctx.lineWidth = st.weight;
        ctx.strokeStyle = st.color;
        ctx.lineCap = st.lineCap;
        ctx.lineJoin = st.lineJoin;
        ctx.stroke();
      }
    },

    // One area's rings into the current path of ``ctx`` in layer pixels; a vertex less than a
    // pixel from the last one drawn is skipped (at national scale most of them). Returns the
    // number of vertices drawn.
    _trace: function (ctx, i) {
      var s = this._s, ox = this._ox, oy = this._oy, parts = this._parts[i], count = 0;
      for (var p = 0; p < parts.length; p++) {
        for (var q = 0; q < parts[p].length; q++) {
          var a = parts[p][q], n = a.length, lx = a[0] * s - ox, ly = a[1] * s - oy;
          ctx.moveTo(lx, ly);
          for (var j = 2; j < n; j += 2) {
            var x = a[j] * s - ox, y = a[j + 1] * s - oy;
            if (Math.abs(x - lx) + Math.abs(y - ly) > 0.7 || j === n - 2) {
              ctx.lineTo(x, y); lx = x; ly = y; count++;
            }
          }
          ctx.closePath();
        }
      }
      return count + 1;
    },

    _containsPoint: function (point) {
      var u = (point.x + this._ox) / this._s, v = (point.y + this._oy) / this._s,
          box = this._box;
      for (var i = this._n - 1; i >= 0; i--) {
        if (u < box[4 * i] || u > box[4 * i + 2] || v < box[4 * i + 1] || v > box[4 * i + 3]) {
          continue;
        }
        var parts = this._parts[i];
        for (var p = 0; p < parts.length; p++) {
          if (inPolygon(parts[p], u, v)) { this._hit = i; return true; }
        }
      }
      this._hit = -1;
      return false;
    },

    // --- hover: highlight the area under the pointer, its tooltip follows -----------------

    _onHover: function (e) {
      if (this._hit === this._hl) { return; }
      var old = this._hl;
      this._hl = this._hit;
      if (this._D.h) { this._redrawArea(old); this._redrawArea(this._hl); }
      if (this._hl >= 0 && this._tooltip && this.isTooltipOpen()) {
        this._tooltip._source = this.item(this._hl);
        this._tooltip.update();
      }
    },

    _onLeave: function () {
      var old = this._hl;
      this._hl = -1;
      if (this._D.h) { this._redrawArea(old); }
    },

    // Ask the renderer to redraw just the box of area ``i`` (every layer in it).
    _redrawArea: function (i) {
      var r = this._renderer;
      if (i < 0 || !r || !this._map) { return; }
      var b = this._box, s = this._s, pad = 4;
      r._redrawBounds = r._redrawBounds || L.bounds([]);
      r._redrawBounds.extend(L.point(b[4 * i] * s - this._ox - pad, b[4 * i + 1] * s - this._oy - pad));
      r._redrawBounds.extend(L.point(b[4 * i + 2] * s - this._ox + pad, b[4 * i + 3] * s - this._oy + pad));
      r._redrawRequest = r._redrawRequest || L.Util.requestAnimFrame(r._redraw, r);
    }
  });

  // Where the map looks (controls.FitView): fitted when first drawn, and when a later drawing
  // in the same frame is about another area; the same area keeps the user's pan and zoom.
  // ``map._codiFitted`` tells the legend drawn next whether to fit again beside itself.
  G.FitView = L.Layer.extend({
    initialize: function (bounds, padding) { this._b = bounds; this._p = padding; },
    onAdd: function (map) {
      var key = JSON.stringify(this._b);
      map._codiFitted = map._codiView !== key;
      if (map._codiFitted) {
        map._codiView = key;
        map.fitBounds(this._b, {padding: this._p, animate: false});
      }
    },
    onRemove: function () {}
  });

  // A legend (controls.Legend): HTML already escaped, folded on a narrow map (a phone), and
  // when open and the view was just fitted, the view is fitted again beside it.
  G.Legend = L.Layer.extend({
    initialize: function (html, position, bounds, foldBelow) {
      this._html = html; this._position = position; this._b = bounds; this._fold = foldBelow;
    },
    onAdd: function (map) {
      var present = L.DomUtil.hasClass(map.getContainer(), 'codi-present'), self = this;
      var c = this._control = L.control({position: present ? 'topright' : this._position});
      c.onAdd = function () {
        var d = L.DomUtil.create('details', 'codi-legend');
        d.innerHTML = self._html;
        var s = document.createElement('summary'), t = d.querySelector('.t');
        if (t) { s.appendChild(t); } else { s.textContent = '\u2026'; }
        d.insertBefore(s, d.firstChild);
        d.open = present || map.getSize().x >= self._fold;
        L.DomEvent.disableClickPropagation(d);
        L.DomEvent.disableScrollPropagation(d);
        return d;
      };
      c.addTo(map);
      if (this._b && map._codiFitted !== false && c.getContainer().open) {
        var w = c.getContainer().offsetWidth, size = map.getSize();
        if (w > 0 && w < size.x * 0.5) {
          map.fitBounds(this._b, {paddingTopLeft: [8, 8], paddingBottomRight: [w + 18, 8],
                                  animate: false});
        }
      }
    },
    onRemove: function (map) { map.removeControl(this._control); }
  });

  // Presentation mode (pagemaps.LargeLegend): large legends, open, at the top right.
  G.Present = L.Layer.extend({
    onAdd: function (map) {
      var box = map.getContainer(), corner = box.querySelector('.leaflet-top.leaflet-right');
      L.DomUtil.addClass(box, 'codi-present');
      box.querySelectorAll('.codi-legend').forEach(function (el) {
        el.open = true;
        corner.appendChild(el);
      });
    },
    onRemove: function (map) { L.DomUtil.removeClass(map.getContainer(), 'codi-present'); }
  });

  // The fill colour of every area the user can point at, by code (tests and benchmarks).
  G.colours = function (map) {
    var out = {};
    for (var id in map._layers) {
      var l = map._layers[id];
      if (l instanceof G.Areas && l._built && l.options.interactive) {
        for (var i = 0; i < l._n; i++) {
          var st = l._styles[l._D.k[i]];
          out[l._D.c[i]] = st.fill ? (st.fillColor || st.color) : null;
        }
      }
    }
    return out;
  };

  // An area layer whose geometry files could not be fetched (offline, a server restarted
  // mid-deploy): a notice over its map (controls.MapStyle's words) whose button tries again.
  G.failed = function (layer) {
    var map = layer._map, words = document.getElementById('codi-geo-failed');
    if (!map || map._codiFailed || !words) { return; }
    var c = map._codiFailed = L.control({position: 'topleft'});
    c.onAdd = function () {
      var d = words.content.firstElementChild.cloneNode(true);
      L.DomEvent.disableClickPropagation(d);
      d.querySelector('button').addEventListener('click', function () {
        G.recovered(map);
        for (var id in map._layers) {
          var l = map._layers[id];
          if (l instanceof G.Areas && !l._built && l._D.u) { l.ready = l._load(); }
        }
      });
      return d;
    };
    c.addTo(map);
  };

  // The notice of G.failed goes once nothing on ``map`` waits for its files any more (a
  // retry, or a new drawing in the same frame).
  G.recovered = function (map) {
    if (map._codiFailed) { map.removeControl(map._codiFailed); map._codiFailed = null; }
  };

  // How many area layers on ``map`` still wait for their geometry files.
  G.loading = function (map) {
    var n = 0;
    for (var id in map._layers) {
      if (map._layers[id] instanceof G.Areas && !map._layers[id]._built) { n++; }
    }
    return n;
  };

  // Everything on ``map`` that stands for one feature: each area of an Areas layer (see
  // ``item``) and every other layer with a ``feature`` (points). For tests and benchmarks.
  G.features = function (map) {
    var out = [];
    for (var id in map._layers) {
      var l = map._layers[id];
      if (l instanceof G.Areas) { out.push.apply(out, l.items()); }
      else if (l.feature) { out.push(l); }
    }
    return out;
  };

  // streamlit-folium reports a new map's view at once (its ``initComponent``, run at the end
  // of the frame's script), before the drawing that comes next fits the view to its area
  // (G.FitView). A pin map's page counts the pins of the reported view, so that report
  // made it count a view nobody saw, and run a third time once the fitted view came (the
  // fit's moveend). Held here: the fitted view is the first one the page hears of; clicks
  // and moves report as before. Without streamlit-folium's globals, nothing changes.
  var init = window.initComponent, S = window.Streamlit;
  if (typeof init === 'function' && S && typeof S.setComponentValue === 'function') {
    window.initComponent = function (map, hover) {
      var report = S.setComponentValue;
      S.setComponentValue = function () {};
      try { return init(map, hover); } finally { S.setComponentValue = report; }
    };
  }
})();
