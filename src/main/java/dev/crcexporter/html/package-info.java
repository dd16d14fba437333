/**
 * HTML escaping shared by the landing page ({@code web}) and the HTML capacity report ({@code report}):
 * everything from config or an upstream goes through {@link dev.crcexporter.html.Html#escape}. Imports nothing of
 * the project.
 */
package dev.crcexporter.html;
