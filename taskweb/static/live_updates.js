// Live updates of a project's list and board (web/live_updates.py). The page asks the
// project's version every `data-interval-ms` with the ETag it holds; when the version
// changed it fetches its own region again (the list with the page's filters, or the
// board) and morphs it in with idiomorph, so nothing the person is doing is disturbed:
//   - a row or card being edited, or holding the focus, is kept exactly as it is (its
//     typed text, its open form; the row comes back up to date when the edit closes);
//   - the other rows change in place: no scroll jump, bulk selections stay ticked;
//   - nothing is said for the person's own changes (their own request already showed
//     them); others' changes are said once per refresh, "List updated", unless the
//     status region holds an Undo the person may still want.
// A page in a background tab stops asking and catches up when shown again; a page whose
// session ended (286) or whose project is gone (404) stops for good.
"use strict";

(() => {
  const watch = document.getElementById("live-updates");
  if (!watch || typeof Idiomorph === "undefined") {
    return;
  }
  const versionUrl = watch.dataset.versionUrl;
  const region = watch.dataset.region; // "list" or "board"
  const interval = Number(watch.dataset.intervalMs) || 1000;
  const slowest = 30000; // after errors, never wait longer than this
  let etag = null;
  let delay = interval;
  let timer = null;
  let stopped = false;
  let ownWrites = 0; // writes of this page in flight or not yet seen in a version
  let writing = 0;
  // Counts what the person starts (a write, a press that may begin a drag): a refresh
  // fetched before one of them started is older than what the page shows, and dropped.
  let actions = 0;
  let behind = false; // the version moved on and the region has not caught up yet

  // The page's own writes (every write here goes through htmx).
  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.requestConfig.verb !== "get") {
      writing += 1;
      ownWrites += 1;
      actions += 1;
    }
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.requestConfig.verb !== "get") {
      writing = Math.max(0, writing - 1);
    }
  });

  function schedule(wait) {
    clearTimeout(timer);
    if (!stopped && !document.hidden) {
      timer = setTimeout(check, wait);
    }
  }

  function stop() {
    stopped = true;
    clearTimeout(timer);
  }

  async function check() {
    let response;
    try {
      response = await fetch(versionUrl, {
        cache: "no-store",
        credentials: "same-origin",
        headers: etag ? { "If-None-Match": etag } : {},
      });
    } catch {
      delay = Math.min(delay * 2, slowest); // offline: ask less often, say nothing
      schedule(delay);
      return;
    }
    if (response.status === 286 || response.status === 404) {
      stop();
      return;
    }
    if (!response.ok && response.status !== 304) {
      delay = Math.min(delay * 2, slowest);
      schedule(delay);
      return;
    }
    delay = interval;
    const fresh = response.headers.get("ETag");
    if (response.status === 200 && fresh && fresh !== etag) {
      // The first answer is the version the page was rendered at (or just after it).
      behind = behind || etag !== null;
      etag = fresh;
    }
    if (behind && (await refresh(ownWrites === 0))) {
      behind = false;
      ownWrites = 0;
    }
    schedule(delay);
  }

  // A row or card the person is busy with: editing it, or with the focus in it.
  function busy(node) {
    if (!(node instanceof Element) || !node.matches("li.task, li.board-card")) {
      return false;
    }
    return node.contains(document.activeElement) ||
      node.querySelector("[data-task-edit], [data-subtask-form]") !== null;
  }

  function dragging() {
    return document.querySelector(".sortable-chosen, .sortable-drag, .board-card--chosen") !== null;
  }

  // The board's Move menus are folded behind their "Move" button by script (board.js);
  // the server's markup shows them unfolded, and the morph brought that markup back.
  function foldMoveMenus(board) {
    board.querySelectorAll("[data-move-toggle]").forEach((button) => {
      button.hidden = false;
      const menu = document.getElementById(button.getAttribute("aria-controls"));
      if (menu) {
        menu.hidden = button.getAttribute("aria-expanded") !== "true";
      }
    });
  }

  function morph(current, replacement) {
    Idiomorph.morph(current, replacement, {
      morphStyle: "outerHTML",
      ignoreActiveValue: true,
      callbacks: {
        beforeNodeMorphed: (node) => !busy(node),
        beforeNodeRemoved: (node) => !busy(node),
        // Ticked rows stay ticked for the bulk bar.
        beforeAttributeUpdated: (name, element) =>
          !(name === "checked" && element.matches(".task__select")),
      },
    });
  }

  document.addEventListener("pointerdown", () => {
    actions += 1;
  }, true);

  // Whether a refresh fetched since `before` still describes the page: not when the
  // person pressed, dragged or wrote meanwhile (the next poll tries again).
  function stillCurrent(before) {
    return actions === before && writing === 0 && !dragging();
  }

  // Fetches the region again and morphs it in; false when it should be tried again at
  // the next poll (a card is held, a write is on its way, the fetch failed).
  async function refresh(announceIt) {
    const before = actions;
    if (!stillCurrent(before)) {
      return false;
    }
    const url = region === "board" ? watch.dataset.boardUrl : location.pathname + location.search;
    let response;
    try {
      response = await fetch(url, {
        credentials: "same-origin",
        headers: { "HX-Request": "true", "X-Timezone": document.body.dataset.timeZone || "" },
      });
    } catch {
      return false;
    }
    if (!response.ok || response.redirected) {
      return false;
    }
    const html = await response.text();
    if (!stillCurrent(before)) {
      return false;
    }
    const page = document.createElement("template");
    page.innerHTML = html;
    const id = region === "board" ? "board" : "task-list";
    const current = document.getElementById(id);
    const replacement = page.content.getElementById(id);
    if (!current || !replacement) {
      return true;
    }
    const rowsBefore = current.querySelector("ul.tasks");
    replacement.removeAttribute("hx-swap-oob");
    morph(current, replacement);
    const updated = document.getElementById(id);
    htmx.process(updated);
    if (region === "board") {
      foldMoveMenus(updated);
    } else if (updated.querySelector("ul.tasks") !== rowsBefore) {
      // A list that was empty has rows now: let the scripts that set rows up see them
      // (the manual order's drag handles), as after any htmx swap.
      htmx.trigger(updated, "htmx:load", { elt: updated });
    }
    const count = document.getElementById("task-count");
    const newCount = page.content.getElementById("task-count");
    if (count && newCount && count.textContent !== newCount.textContent) {
      count.textContent = newCount.textContent;
    }
    const flash = document.getElementById("flash");
    const holdsUndo = flash && flash.querySelector("form, button") !== null;
    const announced = announceIt && !holdsUndo;
    if (announced) {
      announce(region === "board" ? "Board updated" : "List updated", { error: false });
    }
    // For whoever wants to know that the region was refreshed (the journeys wait on it).
    document.dispatchEvent(new CustomEvent("live-updates:refreshed", { detail: { announced } }));
    return true;
  }

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && !stopped) {
      check(); // catch up at once
    } else {
      clearTimeout(timer);
    }
  });

  schedule(0);
})();
