// A project's list in manual order (partials/_manual_order.html): rows drag by their
// handle with SortableJS; a drop posts the row's new neighbour to /tasks/<id>/move,
// which answers with the list as it is now (so a refused move puts the row back).
// Move up / Move down are plain htmx buttons and need nothing from here.
"use strict";

(function () {
  function dropped(event) {
    const row = event.item;
    if (event.oldIndex === event.newIndex) {
      return;
    }
    const handle = row.querySelector(".task__handle");
    const next = row.nextElementSibling;
    const previous = row.previousElementSibling;
    const values = {};
    if (next && next.id.startsWith("task-")) {
      values.before_id = next.id.slice(5);
    } else if (previous && previous.id.startsWith("task-")) {
      values.after_id = previous.id.slice(5);
    }
    // As on the board: SortableJS's leftover style attributes must not reach htmx's
    // settling (the CSP refuses inline styles), so the post waits for it to finish.
    setTimeout(() => {
      row.parentElement.querySelectorAll("[style]").forEach((element) => element.removeAttribute("style"));
      htmx.ajax("POST", handle.dataset.moveUrl, {
        target: "#task-list", swap: "outerHTML", values: values,
      });
    }, 0);
  }

  htmx.onLoad((element) => {
    if (typeof Sortable === "undefined" || !element.querySelectorAll) {
      return;
    }
    const lists = element.matches && element.matches("#task-list") ? [element] :
      Array.from(element.querySelectorAll("#task-list"));
    lists.forEach((list) => {
      const rows = list.querySelector("ul.tasks");
      if (rows && rows.querySelector(".task__handle")) {
        Sortable.create(rows, {
          handle: ".task__handle", draggable: "li.task", animation: 0,
          ghostClass: "board-card--ghost", onEnd: dropped,
        });
      }
    });
  });
})();
