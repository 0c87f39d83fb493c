global using System.Net;
global using System.Net.Http.Json;
global using System.Text.Json;
global using Microsoft.Playwright;
global using Tributary.Testing;
global using Xunit;
global using static Microsoft.Playwright.Assertions;
