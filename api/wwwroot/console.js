// The viewer's time zone (IANA id), for the schedules page's "your time" column.
window.tributaryConsole = {
  timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
  confirm: (message) => window.confirm(message),
};
