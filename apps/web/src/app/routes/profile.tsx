import { useParams } from 'react-router';
import { ProfilePage } from '@/features/profiles/components/profile-page';

export function ProfileRoute({ tab }: { tab: 'articles' | 'favorites' }) {
  const { username = '' } = useParams();
  return <ProfilePage key={username} username={username} tab={tab} />;
}
