// Starts govuk-frontend's components (conditional reveals, the error summary's focus, the service
// navigation's menu on small screens). A module: browsers that cannot run govuk-frontend skip it
// and keep the pages as they work without JavaScript.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
