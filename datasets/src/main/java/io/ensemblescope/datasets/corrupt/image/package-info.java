/**
 * What every corruption and image operation builds on: the HWC working image ({@link
 * io.ensemblescope.datasets.corrupt.image.HwcImage}) and the corruption contract ({@link
 * io.ensemblescope.datasets.corrupt.image.Corruption}). It sits below the families (noise, blur, weather, digital) and
 * the ops, so that they import nothing from the generator that lists them.
 */
package io.ensemblescope.datasets.corrupt.image;
