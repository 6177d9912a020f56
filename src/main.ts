/**
 * Entry points. Apps Script calls these (menus, triggers, google.script.run, the web app);
 * they only wire adapters to the application and forward.
 */
export {};
