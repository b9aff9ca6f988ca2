/* The field app's service worker: keeps the app's page and files so that it opens with no network.
 * The households and records live in IndexedDB (app.js); the sync API always goes to the network. */
"use strict";

var CACHE = "tslp-lapangan-v1";
var SCOPE = new URL(self.registration.scope).pathname;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.add(new Request(SCOPE, { credentials: "same-origin" })).catch(function () {});
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name !== CACHE; }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () {
      return self.clients.claim();
    })
  );
});

self.addEventListener("message", function (event) {
  var urls = (event.data && event.data.cache) || [];
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return Promise.all(urls.map(function (url) {
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (response.ok && !response.redirected) return cache.put(url, response);
        }).catch(function () {});
      }));
    })
  );
});

function keep(request, response) {
  if (response && response.ok && !response.redirected && response.type === "basic") {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.indexOf(SCOPE + "api/") === 0) return;
  if (request.mode === "navigate") {
    if (url.pathname !== SCOPE) return;
    // The page from the cache at once (it holds no personal data); refreshed from the network behind it.
    event.respondWith(
      caches.match(SCOPE).then(function (cached) {
        var fresh = fetch(request).then(function (response) { return keep(SCOPE, response); });
        if (cached) {
          fresh.catch(function () {});
          return cached;
        }
        return fresh;
      })
    );
    return;
  }
  event.respondWith(
    caches.match(request).then(function (cached) {
      return cached || fetch(request).then(function (response) {
        return url.pathname.indexOf("/static/") >= 0 ? keep(request, response) : response;
      });
    })
  );
});
