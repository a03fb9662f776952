// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Move focus to the error summary of a form that came back with errors.
  var errors = document.querySelector(".errors[role=alert]");
  if (errors) { errors.setAttribute("tabindex", "-1"); errors.focus(); }
});
