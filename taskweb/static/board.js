// The board (web/templates/board/): drag and drop with SortableJS, the cards' Move
// menus, and Alt+arrow keys. Every move posts the same form the Move menu posts
// (/projects/<id>/board/move); the server answers with the whole board, so a refused
// move puts the card back where it was, and its message goes to the status region
// (`announce` from app.js, which base.html loads first).
"use strict";

(function () {
  // The card whose Move button should have the focus once the board is swapped.
  let focusAfterSwap = null;

  function board() {
    return document.getElementById("board");
  }

  // Ask the server for the board as it is (after a failed drop: the card goes back).
  function reload() {
    const element = board();
    if (element) {
      htmx.ajax("GET", element.dataset.boardUrl, { target: "#board", swap: "outerHTML" });
    }
  }

  function closeMenus(except) {
    document.querySelectorAll("#board [data-move-toggle][aria-expanded='true']").forEach((button) => {
      if (button !== except) {
        button.setAttribute("aria-expanded", "false");
        document.getElementById(button.getAttribute("aria-controls")).hidden = true;
      }
    });
  }

  function toggleMenu(button, open) {
    closeMenus(button);
    button.setAttribute("aria-expanded", open ? "true" : "false");
    const menu = document.getElementById(button.getAttribute("aria-controls"));
    menu.hidden = !open;
    if (open) {
      const first = menu.querySelector("button");
      if (first) {
        first.focus();
      }
    }
  }

  // A drop: the card's new neighbours and column, posted as a move.
  function dropped(event) {
    const card = event.item;
    const list = card.parentElement;
    if (event.from === list && event.oldIndex === event.newIndex) {
      return;
    }
    const values = { task_id: card.dataset.taskId, status: list.dataset.status };
    const next = card.nextElementSibling;
    const previous = card.previousElementSibling;
    if (next && next.dataset.taskId) {
      values.before_id = next.dataset.taskId;
    } else if (previous && previous.dataset.taskId) {
      values.after_id = previous.dataset.taskId;
    }
    focusAfterSwap = null;
    // SortableJS leaves (empty) style attributes behind, and htmx would copy those onto
    // the new cards with the same ids when it settles: an inline style the CSP refuses.
    // So the post goes once SortableJS is done, with the attributes removed.
    setTimeout(() => {
      board().querySelectorAll("[style]").forEach((element) => element.removeAttribute("style"));
      htmx.ajax("POST", board().dataset.moveUrl, {
        target: "#board", swap: "outerHTML", values: values,
      });
    }, 0);
  }

  // Each time the board is (re)rendered: fold the Move menus behind their buttons and
  // make the columns sortable.
  function setUp(element) {
    element.querySelectorAll("[data-move-toggle]").forEach((button) => {
      button.hidden = false;
      document.getElementById(button.getAttribute("aria-controls")).hidden = true;
    });
    if (focusAfterSwap) {
      const button = document.getElementById("card-" + focusAfterSwap + "-move");
      focusAfterSwap = null;
      if (button) {
        button.focus();
      }
    }
    if (!element.hasAttribute("data-movable") || typeof Sortable === "undefined") {
      return;
    }
    element.querySelectorAll(".board__cards").forEach((list) => {
      Sortable.create(list, {
        group: "board",
        animation: 0,
        draggable: ".board-card",
        // Buttons, links and the menu stay clickable; the rest of the card drags.
        filter: "a, button, form, input",
        preventOnFilter: false,
        ghostClass: "board-card--ghost",
        chosenClass: "board-card--chosen",
        onEnd: dropped,
      });
    });
  }

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-move-toggle]") : null;
    if (button) {
      toggleMenu(button, button.getAttribute("aria-expanded") !== "true");
      return;
    }
    // A choice in a Move menu: the focus comes back to this card's Move button.
    const choice = event.target instanceof Element ? event.target.closest(".board-card__moves button") : null;
    if (choice) {
      focusAfterSwap = choice.closest(".board-card").dataset.taskId;
    } else if (!(event.target instanceof Element && event.target.closest(".board-card__moves"))) {
      closeMenus(null);
    }
  });

  // Escape closes an open menu (focus back on its button); Alt+Up/Down moves the card
  // within its column, Alt+Left/Right to the column beside it.
  document.addEventListener("keydown", (event) => {
    if (!(event.target instanceof Element)) {
      return;
    }
    const card = event.target.closest("#board .board-card");
    if (!card) {
      return;
    }
    const toggle = card.querySelector("[data-move-toggle]");
    if (event.key === "Escape" && toggle && toggle.getAttribute("aria-expanded") === "true") {
      event.preventDefault();
      toggleMenu(toggle, false);
      toggle.focus();
      return;
    }
    if (!event.altKey || !toggle) {
      return;
    }
    let to = null;
    if (event.key === "ArrowUp" || event.key === "ArrowDown") {
      to = event.key === "ArrowUp" ? "up" : "down";
    } else if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      const columns = Array.from(board().querySelectorAll(".board__cards"));
      const index = columns.indexOf(card.parentElement) + (event.key === "ArrowLeft" ? -1 : 1);
      to = columns[index] ? columns[index].dataset.status : null;
    }
    if (to === null) {
      return;
    }
    event.preventDefault();
    const button = card.querySelector(".board-card__moves button[value='" + to + "']");
    if (button) {
      focusAfterSwap = card.dataset.taskId;
      button.click();
    } else {
      announce(to === "up" ? "The card is already at the top of its column." :
        to === "down" ? "The card is already at the bottom of its column." : "The card cannot move that way.");
    }
  });

  // A move that failed with no board to show (a server error, the network, a refusal
  // answered in the status region): show the board as the server has it, so the card
  // goes back. Only after a move (a POST), so a failing refresh cannot loop.
  function wasMove(detail) {
    const config = detail.requestConfig;
    return Boolean(config && config.verb === "post" && board() &&
      config.path === board().dataset.moveUrl);
  }

  document.addEventListener("htmx:afterRequest", (event) => {
    if (wasMove(event.detail) && !event.detail.successful) {
      reload();
    }
  });
  document.addEventListener("htmx:afterSwap", (event) => {
    if (wasMove(event.detail) && event.detail.target && event.detail.target.id === "flash") {
      reload();
    }
  });

  htmx.onLoad((element) => {
    const found = element.id === "board" ? element : element.querySelector && element.querySelector("#board");
    if (found) {
      setUp(found);
    }
  });
})();
