// XMP sidecars as digiKam and Lightroom Classic write them (their real layouts: digiKam through Exiv2 with
// attribute-style structures, MWG and Microsoft Photo regions and its TagsList; Lightroom with Adobe XMP Core,
// camera-raw settings and MWG regions), for tests to read, apply and write back.

export interface FixtureRegion {
  /** Empty: an unnamed region (no Name attribute, as digiKam writes a face it has not named yet). */
  name: string;
  /** MWG area: centre x, y and size, fractions of the stored image. */
  x: number;
  y: number;
  w: number;
  h: number;
  type?: string;
}

const mwgList = (regions: FixtureRegion[]) => regions.map((r) => `
      <rdf:li>
       <rdf:Description ${r.name ? `mwg-rs:Name="${r.name}" ` : ''}mwg-rs:Type="${r.type ?? 'Face'}">
        <mwg-rs:Area stArea:x="${r.x}" stArea:y="${r.y}" stArea:w="${r.w}" stArea:h="${r.h}" stArea:unit="normalized"/>
       </rdf:Description>
      </rdf:li>`).join('');

/** The mwg-rs:Regions structure and the end of the packet, alike in both tools' files. */
const mwgRegionsAndEnd = (width: number, height: number, regions: FixtureRegion[]) => `   <mwg-rs:Regions rdf:parseType="Resource">
    <mwg-rs:AppliedToDimensions stDim:w="${width}" stDim:h="${height}" stDim:unit="pixel"/>
    <mwg-rs:RegionList>
     <rdf:Bag>${mwgList(regions)}
     </rdf:Bag>
    </mwg-rs:RegionList>
   </mwg-rs:Regions>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
`;

/** digiKam 8: photo.jpg.xmp with MWG regions, the same faces as Microsoft Photo regions, and People tags. */
export function digikamSidecar(width: number, height: number, regions: FixtureRegion[]): string {
  const mp = regions.filter((r) => (r.type ?? 'Face') === 'Face').map((r) => `
      <rdf:li ${r.name ? `MPReg:PersonDisplayName="${r.name}" ` : ''}MPReg:Rectangle="${(r.x - r.w / 2).toFixed(6)}, ${(r.y - r.h / 2).toFixed(6)}, ${r.w}, ${r.h}"/>`).join('');
  return `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="XMP Core 4.4.0-Exiv2">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:digiKam="http://www.digikam.org/ns/1.0/"
    xmlns:MP="http://ns.microsoft.com/photo/1.2/"
    xmlns:MPRI="http://ns.microsoft.com/photo/1.2/t/RegionInfo#"
    xmlns:MPReg="http://ns.microsoft.com/photo/1.2/t/Region#"
    xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
    xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#"
    xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#"
    xmlns:lr="http://ns.adobe.com/lightroom/1.0/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
   xmp:Rating="3">
   <digiKam:TagsList>
    <rdf:Seq>${regions.filter((r) => r.name).map((r) => `
     <rdf:li>People/${r.name}</rdf:li>`).join('')}
    </rdf:Seq>
   </digiKam:TagsList>
   <MP:RegionInfo rdf:parseType="Resource">
    <MPRI:Regions>
     <rdf:Bag>${mp}
     </rdf:Bag>
    </MPRI:Regions>
   </MP:RegionInfo>
${mwgRegionsAndEnd(width, height, regions)}<?xpacket end="w"?>
`;
}

/** Lightroom Classic 13: photo.xmp beside the photo, develop settings and MWG regions of the stored image. */
export function lightroomSidecar(width: number, height: number, regions: FixtureRegion[]): string {
  return `<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.0-c000 1.000000, 0000/00/00-00:00:00        ">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/"
    xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/"
    xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#"
    xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#"
   xmp:CreatorTool="Adobe Photoshop Lightroom Classic 13.0 (Macintosh)"
   crs:Version="16.0"
   crs:WhiteBalance="As Shot"
   crs:Exposure2012="+0.35">
${mwgRegionsAndEnd(width, height, regions)}`;
}
