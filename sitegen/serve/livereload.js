// sitegen serve: live reload. Added to HTML responses by the preview server only.
// Listens for new builds over Server-Sent Events. A CSS-only build swaps stylesheets in place
// (following the new content-hash names of renamed ones); a build that lists the pages it
// changed reloads this page only when it is one of them; anything else reloads the page and
// restores its scroll position. Reconnects after restarts.
(() => {
  const me = document.currentScript;
  const boot = me.dataset.boot;
  let epoch = Number(me.dataset.epoch);
  const scrollKey = "sitegen:scroll:" + location.pathname + location.search;

  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    const [x, y] = JSON.parse(saved);
    const restore = () => window.scrollTo(x, y);
    restore();
    if (document.readyState !== "complete") addEventListener("load", restore, { once: true });
  }

  function reloadPage() {
    sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY]));
    location.reload();
  }

  function swapStylesheets(renamed) {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"][href]')) {
      const url = new URL(link.href);
      if (url.origin !== location.origin) continue;
      const path = decodeURIComponent(url.pathname);
      if (Object.hasOwn(renamed, path)) url.pathname = renamed[path];
      url.searchParams.set("sitegen", String(epoch));
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener("load", () => link.remove(), { once: true });
      fresh.addEventListener("error", () => fresh.remove(), { once: true });
      link.after(fresh);
    }
  }

  function isShown(pages) {
    const here = decodeURIComponent(location.pathname);
    return pages.some((path) => path === here || path + "index.html" === here);
  }

  function connect() {
    const source = new EventSource(`/_sitegen/events?boot=${boot}&epoch=${epoch}`);
    source.addEventListener("open", () => { window.__sitegenConnected = true; });
    source.addEventListener("reload", (event) => {
      const message = JSON.parse(event.data);
      epoch = message.epoch;
      if (message.action === "css") swapStylesheets(message.stylesheets || {});
      else if (!message.pages || isShown(message.pages)) reloadPage();
    });
    source.addEventListener("error", () => {
      // Reconnect by hand, so the new request carries the epoch this page has caught up to.
      window.__sitegenConnected = false;
      source.close();
      setTimeout(connect, 1000);
    });
  }

  connect();
})();
