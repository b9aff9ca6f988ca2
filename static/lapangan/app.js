/* The field app: households and records kept in IndexedDB, sent to the portal when there is signal.
 *
 * Every record is an event with an id made here (crypto.randomUUID); the server keeps each id once, so a
 * record sent twice (a sync cut off before the answer came back) changes nothing. A correction is a new
 * event. Photos are compressed here to at most ~200 KB and sent after their events.
 */
(function () {
  "use strict";

  var body = document.body;
  var T = JSON.parse(document.getElementById("field-texts").textContent);
  var DB_NAME = "tslp-lapangan";
  var PHOTO_MAX = 200 * 1024;
  var CHUNK = 50;
  var state = { programs: [], households: [], events: [], meta: {}, program: null, current: null, photo: null };

  function fmt(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_m, key) {
      return values[key] === undefined ? "" : values[key];
    });
  }
  function $(id) {
    return document.getElementById(id);
  }
  function show(el, visible) {
    el.classList.toggle("d-none", !visible);
  }

  // --- IndexedDB ------------------------------------------------------------------------------------------
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          var d = request.result;
          d.createObjectStore("meta");
          d.createObjectStore("households", { keyPath: "id" });
          d.createObjectStore("events", { keyPath: "id" });
          d.createObjectStore("photos", { keyPath: "id" });
        };
        request.onsuccess = function () {
          resolve(request.result);
        };
        request.onerror = function () {
          reject(request.error);
        };
      });
    }
    return dbPromise;
  }
  function tx(stores, mode, work) {
    return db().then(function (d) {
      return new Promise(function (resolve, reject) {
        var t = d.transaction(stores, mode);
        var result = work(t);
        t.oncomplete = function () {
          resolve(result && result.value !== undefined ? result.value : result);
        };
        t.onerror = function () {
          reject(t.error);
        };
        t.onabort = function () {
          reject(t.error);
        };
      });
    });
  }
  function getAll(store) {
    return tx([store], "readonly", function (t) {
      var box = { value: [] };
      t.objectStore(store).getAll().onsuccess = function (e) {
        box.value = e.target.result;
      };
      return box;
    });
  }
  function getMeta() {
    return tx(["meta"], "readonly", function (t) {
      var box = { value: {} };
      t.objectStore("meta").get("meta").onsuccess = function (e) {
        box.value = e.target.result || {};
      };
      return box;
    });
  }
  function putMeta(meta) {
    return tx(["meta"], "readwrite", function (t) {
      t.objectStore("meta").put(meta, "meta");
    });
  }
  function putAll(store, rows) {
    return tx([store], "readwrite", function (t) {
      var s = t.objectStore(store);
      rows.forEach(function (row) {
        s.put(row);
      });
    });
  }
  function deleteAll(store, ids) {
    return tx([store], "readwrite", function (t) {
      var s = t.objectStore(store);
      ids.forEach(function (id) {
        s.delete(id);
      });
    });
  }

  function load() {
    return Promise.all([getMeta(), getAll("households"), getAll("events")]).then(function (r) {
      state.meta = r[0];
      state.programs = state.meta.programs || [];
      state.households = r[1];
      state.events = r[2];
      if (!state.program || !state.programs.some(function (p) { return p.id === state.program; })) {
        state.program = state.programs.length ? state.programs[0].id : null;
      }
    });
  }

  // --- what the list shows -------------------------------------------------------------------------------
  function latestLocal(householdId) {
    var latest = null;
    state.events.forEach(function (e) {
      if (e.beneficiary !== householdId || e.status === "rejected" || e.status === "held") return;
      if (e.status === "accepted" && e.reason_text) return; // kept, not applied: a later desk entry stands
      if (!latest || e.time > latest.time || (e.time === latest.time && e.id > latest.id)) latest = e;
    });
    return latest;
  }
  function currentProgram() {
    return state.programs.find(function (p) { return p.id === state.program; }) || null;
  }
  // A Dinsos verifier's program: the households of a visit, checked rather than delivered.
  function verifying() {
    var program = currentProgram();
    return Boolean(program && program.mode === "verify");
  }
  function shownState(h) {
    var local = latestLocal(h.id);
    if (local) return { state: local.outcome, reason: local.reason, waiting: !local.sent, event: local };
    if (verifying()) return { state: h.check || "unchecked", reason: "", waiting: false, event: null };
    return { state: h.state, reason: h.reason, waiting: false, event: null };
  }
  function isDone(s) {
    return verifying() ? s.state !== "unchecked" : s.state !== "confirmed";
  }
  function stateLabel(s) {
    var label = T["state_" + s.state] || s.state;
    if (s.state === "not_delivered" && s.reason) label += " (" + (T["reason_" + s.reason] || s.reason) + ")";
    if (s.waiting) label += " · " + T.waiting;
    return label;
  }
  function unsentCount() {
    return state.events.filter(function (e) { return !e.sent; }).length;
  }

  function renderStatus() {
    var parts = [];
    if (state.meta.synced_at) {
      parts.push(fmt(T.synced, { time: new Date(state.meta.synced_at).toLocaleString("id-ID", {
        day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit",
      }), count: state.households.length }));
    } else {
      parts.push(T.never);
    }
    var pending = unsentCount();
    parts.push(pending ? fmt(T.pending, { count: pending }) : T.all_sent);
    $("sync-status").textContent = parts.join(" ");
    $("net-status").textContent = navigator.onLine ? T.online : T.offline;
    $("officer-name").textContent = state.meta.name || "";
  }

  function renderPrograms() {
    var select = $("program-select");
    select.textContent = "";
    state.programs.forEach(function (p) {
      var option = document.createElement("option");
      option.value = p.id;
      option.textContent = p.title + " (" + p.tahun + ")";
      option.selected = p.id === state.program;
      select.appendChild(option);
    });
    show($("program-box"), state.programs.length > 0);
    var program = state.programs.find(function (p) { return p.id === state.program; });
    var blocked = $("program-blocked");
    blocked.textContent = program && program.blocked ? program.blocked : "";
    show(blocked, Boolean(program && program.blocked));
    $("empty").textContent = state.meta.role === "verifier" ? T.empty_verifier : $("empty").dataset.text;
    show($("empty"), state.programs.length === 0);
  }

  function renderList() {
    var query = $("search").value.trim().toLowerCase();
    var list = $("households");
    list.textContent = "";
    var mine = state.households.filter(function (h) { return h.program === state.program; });
    var perDesa = {};
    mine.forEach(function (h) {
      var s = shownState(h);
      var d = perDesa[h.desa] || (perDesa[h.desa] = { done: 0, left: 0 });
      if (isDone(s)) d.done += 1; else d.left += 1;
    });
    var summary = $("desa-summary");
    summary.textContent = "";
    Object.keys(perDesa).sort().forEach(function (desa) {
      var line = document.createElement("div");
      line.textContent = fmt(verifying() ? T.verify_line : T.desa_line, { desa: desa, done: perDesa[desa].done, left: perDesa[desa].left });
      summary.appendChild(line);
    });
    var shown = mine.filter(function (h) {
      if (!query) return true;
      return (h.nama + " " + h.alamat + " " + h.desa + " " + h.nik + " " + h.no_kk).toLowerCase().indexOf(query) >= 0;
    });
    shown.slice(0, 200).forEach(function (h) {
      var s = shownState(h);
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "field-item state-" + s.state;
      button.dataset.id = h.id;
      button.dataset.testid = "household";
      var name = document.createElement("div");
      name.className = "fw-semibold";
      name.textContent = h.nama;
      var detail = document.createElement("div");
      detail.className = "small";
      detail.textContent = h.nik + " · " + h.alamat + " · " + h.desa;
      var status = document.createElement("div");
      status.className = "small field-state";
      status.textContent = stateLabel(s);
      button.append(name, detail, status);
      button.addEventListener("click", function () { openRecord(h); });
      item.appendChild(button);
      list.appendChild(item);
    });
    if (mine.length && !shown.length) {
      var none = document.createElement("li");
      none.className = "text-secondary";
      none.textContent = T.no_results;
      list.appendChild(none);
    }
    renderRejected();
  }

  function householdName(eventId) {
    var e = state.events.find(function (x) { return x.id === eventId; });
    var h = e && state.households.find(function (x) { return x.id === e.beneficiary; });
    return h ? h.nama : e ? "#" + e.beneficiary : "";
  }

  function renderRejected() {
    var rejected = state.events.filter(function (e) {
      return e.status === "rejected" || e.status === "held" || (e.status === "accepted" && e.reason_text);
    });
    var refusals = state.meta.photo_refusals || [];
    var list = $("rejected-list");
    list.textContent = "";
    rejected.forEach(function (e) {
      var item = document.createElement("li");
      var label = e.status === "accepted" ? T.status_held : T["status_" + e.status];
      item.textContent = householdName(e.id) + " — " + label + ": " + e.reason_text;
      list.appendChild(item);
    });
    refusals.forEach(function (r) {
      var item = document.createElement("li");
      item.textContent = r.nama + " — " + T.photo_refused + ": " + r.reason;
      list.appendChild(item);
    });
    show($("rejected"), rejected.length + refusals.length > 0);
  }

  function render() {
    renderStatus();
    renderPrograms();
    renderList();
  }

  function message(text, kind) {
    var alert = $("alert");
    alert.className = "alert alert-" + (kind || "info");
    alert.textContent = text;
    show(alert, Boolean(text));
  }

  // --- recording ------------------------------------------------------------------------------------------
  function openRecord(h) {
    state.current = h;
    state.photo = null;
    var s = shownState(h);
    $("record-title").textContent = h.nama;
    $("record-identity").textContent = h.nik + " · KK " + h.no_kk;
    $("record-address").textContent = h.alamat + " · " + h.desa;
    var checking = verifying();
    $("record-current").textContent =
      (checking && h.delivered_on ? fmt(T.delivered_on, { date: new Date(h.delivered_on).toLocaleDateString("id-ID", {
        day: "numeric", month: "long", year: "numeric",
      }) }) + " · " : "") + stateLabel(s);
    $("record-form").reset();
    show($("verdict-box"), checking);
    show($("outcome-box"), !checking);
    show($("undo-label"), !checking && s.state !== "confirmed");
    ["reason-error", "photo-error", "outcome-error"].forEach(function (id) { show($(id), false); });
    $("photo-status").textContent = "";
    show($("photo-preview"), false);
    outcomeChanged();
    show($("list-view"), false);
    show($("record-view"), true);
    window.scrollTo(0, 0);
  }
  function closeRecord() {
    state.current = null;
    show($("record-view"), false);
    show($("list-view"), true);
    renderList();
  }
  function chosenOutcome() {
    var checked = document.querySelector(verifying() ? "input[name=verdict]:checked" : "input[name=outcome]:checked");
    return checked ? checked.value : "";
  }
  function outcomeChanged() {
    var outcome = verifying() ? "" : chosenOutcome();
    if (chosenOutcome()) show($("outcome-error"), false);
    show($("reason-box"), outcome === "not_delivered");
    show($("delivered-box"), outcome === "delivered");
  }

  function compress(file) {
    return new Promise(function (resolve, reject) {
      if (!file.type || file.type.indexOf("image/") !== 0) {
        reject(new Error(T.not_image));
        return;
      }
      var reader = new FileReader();
      reader.onerror = function () { reject(new Error(T.not_image)); };
      reader.onload = function () {
        var img = new Image();
        img.onerror = function () { reject(new Error(T.not_image)); };
        img.onload = function () {
          var attempt = function (maxSide, quality) {
            var scale = Math.min(1, maxSide / Math.max(img.width, img.height));
            var canvas = document.createElement("canvas");
            canvas.width = Math.max(1, Math.round(img.width * scale));
            canvas.height = Math.max(1, Math.round(img.height * scale));
            canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
            canvas.toBlob(function (blob) {
              if (blob && blob.size <= PHOTO_MAX) {
                resolve({ blob: blob, preview: canvas.toDataURL("image/jpeg", 0.5) });
              } else if (maxSide > 480) {
                attempt(Math.round(maxSide * 0.75), Math.max(0.5, quality - 0.1));
              } else {
                reject(new Error(T.photo_too_big));
              }
            }, "image/jpeg", quality);
          };
          attempt(1280, 0.8);
        };
        img.src = reader.result;
      };
      reader.readAsDataURL(file);
    });
  }

  function photoChosen() {
    var file = $("photo").files[0];
    state.photo = null;
    show($("photo-error"), false);
    $("photo-status").textContent = "";
    show($("photo-preview"), false);
    if (!file) return;
    compress(file).then(function (result) {
      state.photo = result.blob;
      $("photo-status").textContent = fmt(T.photo_ready, { size: Math.ceil(result.blob.size / 1024) });
      $("photo-preview").src = result.preview;
      show($("photo-preview"), true);
    }, function (error) {
      $("photo").value = "";
      $("photo-error").textContent = error.message;
      show($("photo-error"), true);
    });
  }

  function position() {
    if (!$("use-location").checked || !navigator.geolocation) return Promise.resolve(null);
    return new Promise(function (resolve) {
      navigator.geolocation.getCurrentPosition(
        function (p) { resolve({ lat: p.coords.latitude, lon: p.coords.longitude }); },
        function () { message(T.location_failed, "warning"); resolve(null); },
        { timeout: 10000, maximumAge: 60000 }
      );
    });
  }

  function save(event) {
    event.preventDefault();
    var h = state.current;
    var outcome = chosenOutcome();
    var checking = verifying();
    $("outcome-error").textContent = checking ? T.choose_verdict : $("outcome-error").dataset.text;
    show($("outcome-error"), !outcome);
    if (!outcome) return;
    var reason = outcome === "not_delivered" ? $("reason").value : "";
    show($("reason-error"), outcome === "not_delivered" && !reason);
    if (outcome === "not_delivered" && !reason) return;
    var previous = shownState(h).event;
    var photo = outcome === "delivered" ? state.photo : null;
    position().then(function (where) {
      var record = {
        id: crypto.randomUUID(),
        beneficiary: h.id,
        program: h.program,
        outcome: outcome,
        reason: reason,
        recipient: outcome === "delivered" ? $("recipient").value.trim() : "",
        note: checking ? $("note").value.trim() : "",
        time: new Date().toISOString(),
        corrects: previous ? previous.id : null,
        lat: where ? where.lat : null,
        lon: where ? where.lon : null,
        sent: false,
        status: "",
        reason_text: "",
        has_photo: Boolean(photo),
      };
      var writes = [putAll("events", [record])];
      if (photo) writes.push(putAll("photos", [{ id: record.id, blob: photo, sent: false }]));
      return Promise.all(writes).then(function () {
        state.events.push(record);
        message(T.saved, "success");
        closeRecord();
        renderStatus();
        if (navigator.onLine) sync(true);
      });
    });
  }

  // --- sync -----------------------------------------------------------------------------------------------
  var syncing = false;

  function api(url, options) {
    return fetch(url, Object.assign({ credentials: "same-origin", redirect: "manual" }, options || {})).then(
      function (response) {
        if (response.type === "opaqueredirect" || response.status === 401 || response.status === 302) {
          var error = new Error("signin");
          error.signin = true;
          throw error;
        }
        return response;
      }
    );
  }

  function sendEvents(csrf) {
    var unsent = state.events.filter(function (e) { return !e.sent; });
    var sent = 0;
    var chunks = [];
    for (var i = 0; i < unsent.length; i += CHUNK) chunks.push(unsent.slice(i, i + CHUNK));
    return chunks.reduce(function (previous, chunk) {
      return previous.then(function () {
        return api(body.dataset.apiEvents, {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
          body: JSON.stringify({ phone_now: new Date().toISOString(), events: chunk }),
        })
          .then(function (response) { return response.json(); })
          .then(function (answer) {
            if (!answer.results) throw new Error(answer.error || "error");
            var byId = {};
            answer.results.forEach(function (r) { byId[r.id] = r; });
            chunk.forEach(function (e) {
              var r = byId[e.id];
              if (!r) return;
              e.sent = true;
              e.status = r.status;
              e.reason_text = r.reason;
              sent += 1;
            });
            return putAll("events", chunk);
          });
      });
    }, Promise.resolve()).then(function () { return sent; });
  }

  function sendPhotos(csrf) {
    return getAll("photos").then(function (photos) {
      var sentIds = {};
      state.events.forEach(function (e) { if (e.sent) sentIds[e.id] = true; });
      var todo = photos.filter(function (p) { return !p.sent && sentIds[p.id]; });
      var count = 0;
      var refused = [];
      return todo.reduce(function (previous, p) {
        return previous.then(function () {
          var form = new FormData();
          form.append("photo", p.blob, p.id + ".jpg");
          var url = body.dataset.apiPhoto.replace("00000000-0000-0000-0000-000000000000", p.id);
          return api(url, { method: "POST", headers: { "X-CSRFToken": csrf }, body: form }).then(function (response) {
            if (response.ok) {
              count += 1;
              return deleteAll("photos", [p.id]);
            }
            if (response.status === 400) {
              // The server refused the photo (not an image, too large): say why, next to the household.
              return response.json().then(function (answer) {
                refused.push({ nama: householdName(p.id), reason: answer.error || "" });
                return deleteAll("photos", [p.id]);
              });
            }
            throw new Error("photo");
          });
        });
      }, Promise.resolve()).then(function () {
        // The refusals of the latest upload of photos stay on the phone (and on screen) until photos are
        // sent again: a sync with no photo to send does not hide that a photo was refused (and deleted).
        if (!todo.length) return count;
        state.meta.photo_refusals = refused;
        return putMeta(state.meta).then(function () { return count; });
      });
    });
  }

  function download() {
    return api(body.dataset.apiData)
      .then(function (response) {
        if (!response.ok) throw new Error("data");
        return response.json();
      })
      .then(function (data) {
        var households = [];
        data.programs.forEach(function (p) {
          p.households.forEach(function (h) { h.program = p.id; households.push(h); });
        });
        var statuses = {};
        data.events.forEach(function (e) { statuses[e.id] = e; });
        // What the server applied is in the households now; keep only what it has not seen or refused.
        var keep = [];
        var drop = [];
        state.events.forEach(function (e) {
          var s = statuses[e.id];
          if (s) { e.status = s.status; e.reason_text = s.reason; }
          // An accepted record the server did not apply (a later desk entry stands) stays, to say so.
          if (e.sent && e.status === "accepted" && !(s && s.reason)) drop.push(e.id); else keep.push(e);
        });
        var programs = data.programs.map(function (p) {
          return { id: p.id, title: p.title, tahun: p.tahun, company: p.company, blocked: p.blocked, mode: p.mode || "" };
        });
        return tx(["households", "events", "meta"], "readwrite", function (t) {
          var hs = t.objectStore("households");
          hs.clear();
          households.forEach(function (h) { hs.put(h); });
          var es = t.objectStore("events");
          drop.forEach(function (id) { es.delete(id); });
          keep.forEach(function (e) { es.put(e); });
          var meta = Object.assign({}, state.meta, { programs: programs, synced_at: data.synced_at, officer: data.officer });
          t.objectStore("meta").put(meta, "meta");
        });
      });
  }

  function sync(quiet) {
    if (syncing) return Promise.resolve();
    syncing = true;
    $("sync-button").disabled = true;
    if (!quiet) message(T.syncing, "info");
    var report = { sent: 0, photos: 0 };
    return api(body.dataset.apiWho)
      .then(function (response) {
        if (response.status === 403) {
          return response.json().then(function (answer) { throw new Error(answer.error); });
        }
        return response.json();
      })
      .then(function (who) {
        if (state.meta.officer && state.meta.officer !== who.officer && unsentCount()) {
          throw new Error(T.other_officer);
        }
        if (state.meta.officer !== who.officer) {
          state.meta = { officer: who.officer, name: who.name, role: who.role };
          state.events = [];
          return Promise.all([
            tx(["events", "photos", "households"], "readwrite", function (t) {
              t.objectStore("events").clear();
              t.objectStore("photos").clear();
              t.objectStore("households").clear();
            }),
            putMeta(state.meta),
          ]).then(function () { return who; });
        }
        state.meta.name = who.name;
        state.meta.role = who.role;
        return who;
      })
      .then(function (who) {
        return sendEvents(who.csrf).then(function (sent) {
          report.sent = sent;
          return sendPhotos(who.csrf);
        });
      })
      .then(function (photos) {
        report.photos = photos;
        return download();
      })
      .then(function () {
        if (!quiet || report.sent) message(fmt(T.sync_done, report), "success");
      })
      .catch(function (error) {
        if (error && error.signin) {
          message(T.sign_in, "warning");
          var link = document.createElement("a");
          link.href = body.dataset.login;
          link.className = "alert-link ms-1";
          link.textContent = T.sign_in_link;
          $("alert").appendChild(link);
        } else if (error instanceof TypeError || !navigator.onLine || error.message === "photo" || error.message === "data") {
          message(T.sync_cut, "warning");
        } else {
          message(error.message, "danger");
        }
      })
      .then(load)
      .then(function () {
        syncing = false;
        $("sync-button").disabled = false;
        render();
      });
  }

  function signOut() {
    var pending = unsentCount();
    var question = pending ? fmt(T.confirm_signout_unsent, { count: pending }) : T.confirm_signout;
    if (!window.confirm(question)) return;
    var wipe = function () {
      return db().then(function (d) {
        d.close();
        dbPromise = null;
        return new Promise(function (resolve) {
          var request = indexedDB.deleteDatabase(DB_NAME);
          request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
        });
      });
    };
    var token = null;
    api(body.dataset.apiWho)
      .then(function (response) { return response.json(); })
      .then(function (who) { token = who.csrf; }, function () { token = null; })
      .then(wipe)
      .then(function () {
        state = { programs: [], households: [], events: [], meta: {}, program: null, current: null, photo: null };
        render();
        message(T.wiped, "success");
        if (!token) return;
        var form = document.createElement("form");
        form.method = "post";
        form.action = body.dataset.logout;
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "csrfmiddlewaretoken";
        input.value = token;
        form.appendChild(input);
        document.body.appendChild(form);
        form.submit();
      });
  }

  // --- start ----------------------------------------------------------------------------------------------
  function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(body.dataset.sw, { scope: body.dataset.sw.replace(/sw\.js$/, "") }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      var assets = [location.pathname];
      document.querySelectorAll("[data-offline]").forEach(function (el) { assets.push(el.href || el.src); });
      assets.push(document.querySelector("link[rel=manifest]").href);
      if (registration.active) registration.active.postMessage({ cache: assets });
    });
  }

  $("record-form").addEventListener("submit", save);
  document.querySelectorAll("input[name=outcome], input[name=verdict]").forEach(function (el) {
    el.addEventListener("change", outcomeChanged);
  });
  $("photo").addEventListener("change", photoChosen);
  $("back-button").addEventListener("click", closeRecord);
  $("search").addEventListener("input", renderList);
  $("program-select").addEventListener("change", function () {
    state.program = Number($("program-select").value);
    render();
  });
  $("sync-button").addEventListener("click", function () { sync(false); });
  $("signout-button").addEventListener("click", signOut);
  window.addEventListener("online", function () { renderStatus(); sync(true); });
  window.addEventListener("offline", renderStatus);

  load().then(function () {
    render();
    body.dataset.ready = "1";
    if (navigator.onLine && !state.meta.synced_at) sync(false);
  });
  registerWorker();
})();
