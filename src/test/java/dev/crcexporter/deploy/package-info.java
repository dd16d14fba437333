/**
 * Tests of the files people deploy with (deploy/, Dockerfile, the generated copies of deploy/regenerate.sh), read as
 * they are and checked against the exporter&apos;s own flags and defaults. May import any main package.
 */
package dev.crcexporter.deploy;
