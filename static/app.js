// The little the pages need beyond htmx: a calendar for dd/mm/yyyy date fields, and a warning
// before leaving a form with unsaved changes. Everything works without it.
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // dd/mm/yyyy text → yyyy-mm-dd for the calendar, or "" when it does not read as a date.
  function toIso(text) {
    var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec((text || "").trim());
    return m ? m[3] + "-" + pad(+m[2]) + "-" + pad(+m[1]) : "";
  }

  // A calendar button beside each date field. The calendar only picks a day; what is written in the
  // field, and sent, is always dd/mm/yyyy, whatever the language of the browser.
  function addCalendar(field) {
    if (field.dataset.calendar) return;
    field.dataset.calendar = "1";
    var picker = document.createElement("input");
    picker.type = "date";
    picker.tabIndex = -1;
    picker.className = "date-picker";
    picker.setAttribute("aria-hidden", "true");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary date-button";
    button.textContent = "Lịch";
    button.setAttribute("aria-label", "Chọn ngày trên lịch");
    button.addEventListener("click", function () {
      picker.value = toIso(field.value);
      if (picker.showPicker) { picker.showPicker(); } else { picker.focus(); picker.click(); }
    });
    picker.addEventListener("change", function () {
      var p = picker.value.split("-");
      if (p.length !== 3) return;
      field.value = p[2] + "/" + p[1] + "/" + p[0];
      field.dispatchEvent(new Event("input", { bubbles: true }));
    });
    var wrap = document.createElement("span");
    wrap.className = "date-wrap";
    field.insertAdjacentElement("beforebegin", wrap);
    wrap.append(field, button, picker);
  }

  // Unsaved changes: a form marked data-guard is dirty once something in it is typed or changed,
  // and clean again when it is submitted. Leaving the page (a link, a reload, closing the tab) while
  // one is dirty asks first.
  var LEAVE = "Có thay đổi chưa lưu. Rời trang này và bỏ các thay đổi đó?";

  function dirtyForms() { return document.querySelectorAll("form[data-guard][data-dirty]"); }

  document.addEventListener("input", markDirty, true);
  document.addEventListener("change", markDirty, true);
  function markDirty(event) {
    var form = event.target.form || (event.target.closest && event.target.closest("form"));
    if (form && form.hasAttribute("data-guard")) {
      form.setAttribute("data-dirty", "");
      var notice = document.getElementById("unsaved");
      if (notice) notice.hidden = false;
    }
  }
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-guard")) {
      event.target.removeAttribute("data-dirty");
    }
  }, true);

  window.addEventListener("beforeunload", function (event) {
    if (dirtyForms().length) { event.preventDefault(); event.returnValue = ""; }
  });

  // Boosted links do not unload the page: ask before htmx navigates away from unsaved changes.
  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    var navigates = elt && elt.tagName === "A" && event.detail.verb === "get";
    if (navigates && dirtyForms().length) {
      event.preventDefault();
      if (window.confirm(LEAVE)) {
        dirtyForms().forEach(function (form) { form.removeAttribute("data-dirty"); });
        event.detail.issueRequest(true);
      }
    }
  });

  function init(root) {
    (root.querySelectorAll ? root : document).querySelectorAll("input[data-date]").forEach(addCalendar);
  }
  if (window.htmx) { window.htmx.onLoad(init); } else { document.addEventListener("DOMContentLoaded", function () { init(document); }); }
})();
